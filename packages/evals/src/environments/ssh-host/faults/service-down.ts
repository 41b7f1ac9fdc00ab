import type { HostFault } from '../fault.js';
import { hostPathSchema } from '../fault.js';
import { shellQuote, writeFileLines } from '../shell.js';
import { supervisorPath, supervisorScript } from '../supervisor.js';

/**
 * `service-down`: a service that failed every start until its supervisor gave up, so nothing
 * runs and its port refuses connections.
 */
export interface ServiceDownFault {
  readonly kind: 'service-down';
  /** The service name, e.g. `pricing-api`. */
  readonly service: string;
  /** The failing program's path (a sh script the harness writes). */
  readonly program: string;
  /** Its body (sh), e.g. a real check of a file that is missing; default: print `error`, exit. */
  readonly script?: string;
  readonly error?: readonly string[];
  readonly exit_code?: number;
  /** Where the program's output and the supervisor's restarts are logged. */
  readonly log: string;
  /** Failed starts before the supervisor gives up (1-10, default 3). */
  readonly start_limit?: number;
}

/**
 * Runs a supervisor to the end while the host is built: it starts the program, which fails,
 * `start_limit` times (logging each exit) and then logs that it gives up. Nothing of the service
 * runs afterwards: `ss -ltn` shows nothing on its port and `curl` gets "Connection refused".
 *
 * @example
 * ```ts
 * await serviceDown.prepare({ kind: 'service-down', service: 'pricing-api', program: '/opt/pricing/bin/pricing-api', error: ['FATAL: no key'], log: '/var/log/pricing/pricing-api.log' }, context);
 * ```
 */
export const serviceDown: HostFault<ServiceDownFault> = {
  kind: 'service-down',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'service', 'program', 'log'],
    oneOf: [{ required: ['script'] }, { required: ['error'] }],
    properties: {
      kind: { const: 'service-down' },
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
      start_limit: { type: 'integer', minimum: 1, maximum: 10 },
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
    const supervisor = supervisorPath(spec.service);
    return Promise.resolve({
      script: [
        ...writeFileLines(spec.program, `#!/bin/sh\n${program}\n`, '0755'),
        ...writeFileLines(
          supervisor,
          supervisorScript({
            service: spec.service,
            program: spec.program,
            log: spec.log,
            restartDelaySeconds: 1,
            startLimit: spec.start_limit ?? 3,
          }),
          '0755',
        ),
        `mkdir -p "$(dirname ${log})"`,
        `touch ${log}`,
        // In the foreground: the host is ready once the supervisor has given up.
        `${shellQuote(supervisor)} < /dev/null > /dev/null 2>&1 || true`,
      ],
    });
  },
};
