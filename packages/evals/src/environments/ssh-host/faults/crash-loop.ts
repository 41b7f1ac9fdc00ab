import type { HostFault } from '../fault.js';
import { hostPathSchema } from '../fault.js';
import { shellQuote, writeFileLines } from '../shell.js';
import { supervisorPath, supervisorScript } from '../supervisor.js';

/** `crash-loop`: a supervisor that restarts a program which fails every time, logging each exit. */
export interface CrashLoopFault {
  readonly kind: 'crash-loop';
  /** The service name, e.g. `checkout-worker`. */
  readonly service: string;
  /** The failing program's path (a sh script the harness writes). */
  readonly program: string;
  /**
   * The program's body (sh) when it is more than printing `error` and exiting: e.g. a check of
   * the host's config or DNS that really fails. Default: print `error` lines to stderr.
   */
  readonly script?: string;
  readonly error?: readonly string[];
  readonly exit_code?: number;
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
    oneOf: [{ required: ['script'] }, { required: ['error'] }],
    properties: {
      kind: { const: 'crash-loop' },
      service: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,40}$' },
      program: hostPathSchema,
      script: { type: 'string', minLength: 1, maxLength: 4000 },
      error: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: { type: 'string', maxLength: 500 },
      },
      exit_code: { type: 'integer', minimum: 1, maximum: 255 },
      log: hostPathSchema,
      restart_delay_seconds: { type: 'integer', minimum: 1, maximum: 30 },
    },
  },
  prepare(spec) {
    const program =
      spec.script ??
      [
        ...(spec.error ?? []).map((line) => `printf '%s\\n' ${shellQuote(line)} >&2`),
        `exit ${spec.exit_code ?? 1}`,
      ].join('\n');
    const log = shellQuote(spec.log);
    const supervisor = supervisorScript({
      service: spec.service,
      program: spec.program,
      log: spec.log,
      restartDelaySeconds: spec.restart_delay_seconds ?? 2,
    });
    const supervisorFile = supervisorPath(spec.service);
    return Promise.resolve({
      script: [
        ...writeFileLines(spec.program, `#!/bin/sh\n${program}\n`, '0755'),
        ...writeFileLines(supervisorFile, supervisor, '0755'),
        `mkdir -p "$(dirname ${log})"`,
        `touch ${log}`,
        `${shellQuote(supervisorFile)} < /dev/null > /dev/null 2>&1 &`,
      ],
    });
  },
};
