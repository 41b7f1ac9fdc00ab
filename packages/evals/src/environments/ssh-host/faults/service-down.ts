import type { HostFault } from '../fault.js';
import { hostPathSchema, serviceNameSchema } from '../fault.js';
import {
  failingProgramBody,
  failingProgramSchema,
  type FailingProgramSpec,
} from '../failing-program.js';
import { writeFileLines } from '../shell.js';
import { superviseLines } from '../supervisor.js';

/**
 * `service-down`: a service that failed every start until its supervisor gave up, so nothing
 * runs and its port refuses connections.
 */
export interface ServiceDownFault extends FailingProgramSpec {
  readonly kind: 'service-down';
  /** The service name, e.g. `pricing-api`. */
  readonly service: string;
  /** The failing program's path (a sh script the harness writes). */
  readonly program: string;
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
    oneOf: failingProgramSchema.oneOf,
    properties: {
      ...failingProgramSchema.properties,
      kind: { const: 'service-down' },
      service: serviceNameSchema,
      program: hostPathSchema,
      log: hostPathSchema,
      start_limit: { type: 'integer', minimum: 1, maximum: 10 },
    },
  },
  prepare(spec) {
    const program = failingProgramBody(spec);
    return Promise.resolve({
      script: [
        ...writeFileLines(spec.program, `#!/bin/sh\n${program}\n`, '0755'),
        // In the foreground: the host is ready once the supervisor has given up.
        ...superviseLines(
          {
            service: spec.service,
            program: spec.program,
            log: spec.log,
            restartDelaySeconds: 1,
            startLimit: spec.start_limit ?? 3,
          },
          { foreground: true },
        ),
      ],
    });
  },
};
