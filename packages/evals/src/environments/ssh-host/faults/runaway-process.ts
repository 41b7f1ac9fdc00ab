import type { HostFault } from '../fault.js';
import { hostPathSchema, programArgsSchema } from '../fault.js';
import { shellQuote, writeFileLines } from '../shell.js';

/** `runaway-process`: a program stuck in a busy loop, burning a CPU for as long as the host runs. */
export interface RunawayProcessFault {
  readonly kind: 'runaway-process';
  /** The program's path, e.g. `/opt/reports/bin/report-builder` (a sh script the harness writes). */
  readonly program: string;
  readonly args?: readonly string[];
  /** Lines it writes to `log` before it starts looping. */
  readonly log?: string;
  readonly log_lines?: readonly string[];
  /** How many busy processes (1-2). */
  readonly processes?: number;
  /** Its niceness (0-19, default 0), e.g. 19 for a batch job that yields to everything else. */
  readonly nice?: number;
}

/**
 * Starts real CPU-burning processes: `ps --sort=-%cpu` and `top` show them on top.
 *
 * @example
 * ```ts
 * await runawayProcess.prepare({ kind: 'runaway-process', program: '/opt/reports/bin/report-builder' }, context);
 * ```
 */
export const runawayProcess: HostFault<RunawayProcessFault> = {
  kind: 'runaway-process',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'program'],
    properties: {
      kind: { const: 'runaway-process' },
      program: hostPathSchema,
      args: programArgsSchema,
      log: hostPathSchema,
      log_lines: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 500 } },
      processes: { type: 'integer', minimum: 1, maximum: 2 },
      nice: { type: 'integer', minimum: 0, maximum: 19 },
    },
  },
  prepare(spec) {
    const logLines = spec.log === undefined ? [] : (spec.log_lines ?? []);
    const log = spec.log === undefined ? '' : shellQuote(spec.log);
    const body = [
      '#!/bin/sh',
      ...logLines.map((line) => `printf '%s\\n' ${shellQuote(line)} >> ${log}`),
      '# the bug: the work queue is never drained, so this never ends',
      'while :; do :; done',
      '',
    ].join('\n');
    const start = [
      ...(spec.nice === undefined ? [] : ['nice', '-n', String(spec.nice)]),
      spec.program,
      ...(spec.args ?? []),
    ]
      .map(shellQuote)
      .join(' ');
    const script = [
      ...writeFileLines(spec.program, body, '0755'),
      ...(spec.log === undefined ? [] : [`mkdir -p "$(dirname ${log})"`, `touch ${log}`]),
    ];
    for (let index = 0; index < (spec.processes ?? 1); index += 1) {
      script.push(`${start} < /dev/null > /dev/null 2>&1 &`);
    }
    return Promise.resolve({ script });
  },
};
