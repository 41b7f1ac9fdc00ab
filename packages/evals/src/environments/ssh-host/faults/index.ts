import type { HostFault } from '../fault.js';
import { badConfig, type BadConfigFault } from './bad-config.js';
import { clockSkew, type ClockSkewFault } from './clock-skew.js';
import { crashLoop, type CrashLoopFault } from './crash-loop.js';
import { deletedOpenFile, type DeletedOpenFileFault } from './deleted-open-file.js';
import { diskFull, type DiskFullFault } from './disk-full.js';
import { dnsMisconfiguration, type DnsMisconfigurationFault } from './dns-misconfiguration.js';
import { expiredCertificate, type ExpiredCertificateFault } from './expired-certificate.js';
import { inodesFull, type InodesFullFault } from './inodes-full.js';
import { memoryHog, type MemoryHogFault } from './memory-hog.js';
import { portConflict, type PortConflictFault } from './port-conflict.js';
import { runawayProcess, type RunawayProcessFault } from './runaway-process.js';
import { serviceDown, type ServiceDownFault } from './service-down.js';

/** Any fault an `ssh-host` spec lists. */
export type HostFaultSpec =
  | DiskFullFault
  | InodesFullFault
  | RunawayProcessFault
  | CrashLoopFault
  | BadConfigFault
  | ExpiredCertificateFault
  | DnsMisconfigurationFault
  | ClockSkewFault
  | DeletedOpenFileFault
  | PortConflictFault
  | MemoryHogFault
  | ServiceDownFault;

/** Every fault kind, by `kind`. */
export const HOST_FAULTS: ReadonlyMap<string, HostFault<HostFaultSpec>> = new Map(
  (
    [
      diskFull,
      inodesFull,
      runawayProcess,
      crashLoop,
      badConfig,
      expiredCertificate,
      dnsMisconfiguration,
      clockSkew,
      deletedOpenFile,
      portConflict,
      memoryHog,
      serviceDown,
    ] as unknown as HostFault<HostFaultSpec>[]
  ).map((fault) => [fault.kind, fault]),
);

export type {
  BadConfigFault,
  ClockSkewFault,
  CrashLoopFault,
  DeletedOpenFileFault,
  DiskFullFault,
  DnsMisconfigurationFault,
  ExpiredCertificateFault,
  InodesFullFault,
  MemoryHogFault,
  PortConflictFault,
  RunawayProcessFault,
  ServiceDownFault,
};
