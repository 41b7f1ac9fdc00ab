import type { HostFault } from '../fault.js';
import {
  hostMountSchema,
  hostPathSchema,
  programArgsSchema,
  serviceNameSchema,
  sizedFilesSchema,
  textSchema,
} from '../fault.js';
import { PERL, requireFile } from '../binaries.js';
import { PERL_PRELUDE, perlQuote } from '../perl.js';
import { parentOf, shellQuote, waitUntilLines, writeFileLines } from '../shell.js';
import { superviseLines } from '../supervisor.js';
import { EvalErrors } from '../../../errors.js';

/**
 * `deleted-open-file`: a service keeps writing to a file that was deleted, so `df` shows its
 * filesystem full while `du` finds little there.
 */
export interface DeletedOpenFileFault {
  readonly kind: 'deleted-open-file';
  /** Where the filesystem is mounted, e.g. `/var/log` (a size-limited tmpfs). */
  readonly mount: string;
  /** Its size in MiB (1-256). */
  readonly size_mb: number;
  /** What `df` shows as its source, e.g. `/dev/vdb1`. */
  readonly device?: string;
  /** The service name, e.g. `ingest-api` (its pid is written to /run/SERVICE.pid). */
  readonly service: string;
  /** The service's program (a Perl script the harness writes; `ps` shows it with `args`). */
  readonly program: string;
  readonly args?: readonly string[];
  /** The file the service opens, which is then filled and deleted (under `mount`). */
  readonly file: string;
  /** The deleted file's content, repeated (default `x`). */
  readonly line?: string;
  /** How much is written to it before it is deleted; default: until the filesystem is full. */
  readonly size_kb?: number;
  /** Files that stay (what `du` finds), written before the service starts. */
  readonly files?: readonly {
    readonly path: string;
    readonly size_kb: number;
    readonly line?: string;
  }[];
  /** Runs the service under a supervisor logging to `log`, so stopping it restarts it. */
  readonly supervise?: { readonly log: string; readonly restart_delay_seconds?: number };
}

/**
 * Mounts a size-limited tmpfs, starts the service (which opens `file` for appending and keeps it
 * open), fills the file and deletes it: the space stays used until the service closes it, so
 * `df` shows the filesystem full, `du` does not count it, and `lsof +L1` or
 * `ls -l /proc/PID/fd` show the service holding `file (deleted)`. Stopping the service frees the
 * space (a supervised one is restarted and opens a new, small file).
 *
 * @example
 * ```ts
 * await deletedOpenFile.prepare({ kind: 'deleted-open-file', mount: '/var/log', size_mb: 32, service: 'ingest-api', program: '/opt/ingest/bin/ingest-api', file: '/var/log/ingest/ingest.log' }, context);
 * ```
 */
export const deletedOpenFile: HostFault<DeletedOpenFileFault> = {
  kind: 'deleted-open-file',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'mount', 'size_mb', 'service', 'program', 'file'],
    properties: {
      kind: { const: 'deleted-open-file' },
      mount: hostMountSchema,
      size_mb: { type: 'integer', minimum: 1, maximum: 256 },
      device: { type: 'string', pattern: '^[A-Za-z0-9/._:-]{1,64}$' },
      service: serviceNameSchema,
      program: hostPathSchema,
      args: programArgsSchema,
      file: hostPathSchema,
      line: textSchema,
      size_kb: { type: 'integer', minimum: 1, maximum: 262144 },
      files: sizedFilesSchema,
      supervise: {
        type: 'object',
        additionalProperties: false,
        required: ['log'],
        properties: {
          log: hostPathSchema,
          restart_delay_seconds: { type: 'integer', minimum: 1, maximum: 30 },
        },
      },
    },
  },
  prepare(spec) {
    requireFile(PERL, 'perl-base');
    if (!spec.file.startsWith(`${spec.mount}/`)) {
      throw EvalErrors.AKM_EVAL_STORY_INVALID({
        problem: `deleted-open-file: the file is not under mount ${spec.mount}`,
        value: spec.file,
      });
    }
    const file = shellQuote(spec.file);
    const program = [
      `#!${PERL}`,
      `# ${spec.service}: appends to its log and keeps it open for as long as it runs`,
      ...PERL_PRELUDE,
      `my $file = ${perlQuote(spec.file)};`,
      `open(my $log, '>>', $file) or die "${spec.service}: cannot open $file: $!\\n";`,
      'select((select($log), $| = 1)[0]);',
      `open(my $pidfile, '>', ${perlQuote(`/run/${spec.service}.pid`)}) or die "${spec.service}: cannot write its pid file: $!\\n";`,
      'print $pidfile "$$\\n";',
      'close($pidfile);',
      `print $log stamp() . " ${spec.service}[$$]: started, logging to $file\\n";`,
      'while (1) { sleep 3600; }',
      '',
    ].join('\n');
    const start = [spec.program, ...(spec.args ?? [])].map(shellQuote).join(' ');
    const script = [
      `mkdir -p ${shellQuote(spec.mount)}`,
      `mount -t tmpfs -o size=${spec.size_mb}m,mode=0755 ${shellQuote(spec.device ?? 'tmpfs')} ${shellQuote(spec.mount)}`,
    ];
    for (const kept of spec.files ?? []) {
      script.push(
        `mkdir -p ${shellQuote(parentOf(kept.path))}`,
        `yes ${shellQuote(kept.line ?? 'x')} | head -c ${kept.size_kb * 1024} > ${shellQuote(kept.path)} || true`,
      );
    }
    script.push(
      ...writeFileLines(spec.program, program, '0755'),
      `mkdir -p ${shellQuote(parentOf(spec.file))}`,
    );
    if (spec.supervise === undefined) {
      script.push(`${start} < /dev/null > /dev/null 2>&1 &`);
    } else {
      script.push(
        ...superviseLines({
          service: spec.service,
          program: spec.program,
          ...(spec.args === undefined ? {} : { args: spec.args }),
          log: spec.supervise.log,
          restartDelaySeconds: spec.supervise.restart_delay_seconds ?? 2,
        }),
      );
    }
    const line = shellQuote(spec.line ?? 'x');
    script.push(
      // The service has the file open once its start line is in it.
      ...waitUntilLines(`[ -s ${file} ]`, `${spec.service} to open ${spec.file}`),
      spec.size_kb === undefined
        ? // `yes` writes until the filesystem is full (ENOSPC) and then fails: that is the point.
          `yes ${line} >> ${file} 2>/dev/null || true`
        : `yes ${line} | head -c ${spec.size_kb * 1024} >> ${file} || true`,
      // The mistake: the file is deleted while the service still has it open.
      `rm -f ${file}`,
    );
    return Promise.resolve({ script });
  },
};
