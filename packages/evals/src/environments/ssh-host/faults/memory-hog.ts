import type { HostFault } from '../fault.js';
import { hostPathSchema, programArgsSchema } from '../fault.js';
import { PERL, requireFile } from '../binaries.js';
import { PERL_PRELUDE, perlQuote } from '../perl.js';
import { shellQuote, waitUntilLines, writeFileLines } from '../shell.js';

/** `memory-hog`: a process that holds `size_mb` of resident memory and never gives it back. */
export interface MemoryHogFault {
  readonly kind: 'memory-hog';
  /** Its program (a Perl script the harness writes), e.g. `/opt/catalog/bin/catalog-cache`. */
  readonly program: string;
  readonly args?: readonly string[];
  /** Resident memory it holds, in MiB (16-512). */
  readonly size_mb: number;
  /** Lines it writes to `log` once it holds the memory (e.g. why its cache never evicts). */
  readonly log?: string;
  readonly log_lines?: readonly string[];
}

/**
 * Starts a real process that fills `size_mb` MiB of its own memory (1 MiB strings, every page
 * touched) and keeps it: `ps --sort=-rss`, `top -o RES` and `VmRSS` in /proc/PID/status show
 * it. The host is ready once its RSS has reached the size.
 *
 * @example
 * ```ts
 * await memoryHog.prepare({ kind: 'memory-hog', program: '/opt/catalog/bin/catalog-cache', size_mb: 200 }, context);
 * ```
 */
export const memoryHog: HostFault<MemoryHogFault> = {
  kind: 'memory-hog',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'program', 'size_mb'],
    properties: {
      kind: { const: 'memory-hog' },
      program: hostPathSchema,
      args: programArgsSchema,
      size_mb: { type: 'integer', minimum: 16, maximum: 512 },
      log: hostPathSchema,
      log_lines: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 500 } },
    },
  },
  prepare(spec) {
    requireFile(PERL, 'perl-base');
    const name = spec.program.slice(spec.program.lastIndexOf('/') + 1);
    const program = [
      `#!${PERL}`,
      `# ${name}: keeps everything it loads in memory and never evicts`,
      ...PERL_PRELUDE,
      'my @cache;',
      // 1 MiB strings of varying bytes: every page is touched, none is shared.
      `for my $mib (1 .. ${spec.size_mb}) { push @cache, chr(65 + $mib % 26) x 1048576; }`,
      ...(spec.log === undefined
        ? []
        : [
            `open(my $log, '>>', ${perlQuote(spec.log)}) or die "${name}: cannot open log: $!\\n";`,
            ...(spec.log_lines ?? []).map((line) => `print $log ${perlQuote(`${line}\n`)};`),
            'close($log);',
          ]),
      'while (1) { sleep 3600; }',
      '',
    ].join('\n');
    const start = [spec.program, ...(spec.args ?? [])].map(shellQuote).join(' ');
    // 95 % of the size, in KiB as VmRSS counts it.
    const ready = Math.floor(spec.size_mb * 1024 * 0.95);
    return Promise.resolve({
      script: [
        ...writeFileLines(spec.program, program, '0755'),
        ...(spec.log === undefined ? [] : [`mkdir -p "$(dirname ${shellQuote(spec.log)})"`]),
        `${start} < /dev/null > /dev/null 2>&1 &`,
        'hog=$!',
        ...waitUntilLines(
          `[ "$(awk '/^VmRSS:/ { print $2 }' /proc/$hog/status 2>/dev/null || echo 0)" -ge ${ready} ] 2>/dev/null`,
          `${name} to hold ${spec.size_mb} MiB`,
        ),
      ],
    });
  },
};
