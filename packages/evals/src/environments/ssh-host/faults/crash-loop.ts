import type { HostFault } from '../fault.js';
import { hostPathSchema, serviceNameSchema } from '../fault.js';
import {
  failingProgramBody,
  failingProgramSchema,
  type FailingProgramSpec,
} from '../failing-program.js';
import { writeFileLines } from '../shell.js';
import { superviseLines } from '../supervisor.js';

/** `crash-loop`: a supervisor that restarts a program which fails every time, logging each exit. */
export interface CrashLoopFault extends FailingProgramSpec {
  readonly kind: 'crash-loop';
  /** The service name, e.g. `checkout-worker`. */
  readonly service: string;
  /** The failing program's path (a sh script the harness writes). */
  readonly program: string;
  /** Where the program's output and the supervisor's restarts are logged. */
  readonly log: string;
  /** Seconds between restarts (1-30, default 2). */
  readonly restart_delay_seconds?: number;
}

/**
 * Starts a supervisor loop (`/opt/supervise/SERVICE/run`) that runs the program, appends its
 * output and a "exited with status N; restart #K" line to the log, waits, and restarts it.
 *
 * @example
 * ```ts
 * await crashLoop.prepare({ kind: 'crash-loop', service: 'worker', program: '/opt/worker/bin/worker', error: ['FATAL: no db'], log: '/var/log/worker/worker.log' }, context);
 * ```
 */
export const crashLoop: HostFault<CrashLoopFault> = {
  kind: 'crash-loop',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'service', 'program', 'log'],
    oneOf: failingProgramSchema.oneOf,
    properties: {
      ...failingProgramSchema.properties,
      kind: { const: 'crash-loop' },
      service: serviceNameSchema,
      program: hostPathSchema,
      log: hostPathSchema,
      restart_delay_seconds: { type: 'integer', minimum: 1, maximum: 30 },
    },
  },
  prepare(spec) {
    const program = failingProgramBody(spec);
    return Promise.resolve({
      script: [
        ...writeFileLines(spec.program, `#!/bin/sh\n${program}\n`, '0755'),
        ...superviseLines({
          service: spec.service,
          program: spec.program,
          log: spec.log,
          restartDelaySeconds: spec.restart_delay_seconds ?? 2,
        }),
      ],
    });
  },
};
