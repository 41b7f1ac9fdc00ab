import type { HostFault } from '../fault.js';
import { badConfig, type BadConfigFault } from './bad-config.js';
import { clockSkew, type ClockSkewFault } from './clock-skew.js';
import { crashLoop, type CrashLoopFault } from './crash-loop.js';
import { diskFull, type DiskFullFault } from './disk-full.js';
import { dnsMisconfiguration, type DnsMisconfigurationFault } from './dns-misconfiguration.js';
import { expiredCertificate, type ExpiredCertificateFault } from './expired-certificate.js';
import { inodesFull, type InodesFullFault } from './inodes-full.js';
import { runawayProcess, type RunawayProcessFault } from './runaway-process.js';

/** Any fault an `ssh-host` spec lists. */
export type HostFaultSpec =
  | DiskFullFault
  | InodesFullFault
  | RunawayProcessFault
  | CrashLoopFault
  | BadConfigFault
  | ExpiredCertificateFault
  | DnsMisconfigurationFault
  | ClockSkewFault;

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
    ] as unknown as HostFault<HostFaultSpec>[]
  ).map((fault) => [fault.kind, fault]),
);

export type {
  BadConfigFault,
  ClockSkewFault,
  CrashLoopFault,
  DiskFullFault,
  DnsMisconfigurationFault,
  ExpiredCertificateFault,
  InodesFullFault,
  RunawayProcessFault,
};
