import type { HostFault } from '../fault.js';
import { hostMountSchema, hostPathSchema, sizedFilesSchema, textSchema } from '../fault.js';
import { parentOf, shellQuote } from '../shell.js';

/** `disk-full`: a size-limited tmpfs mounted at `mount`, filled to 100 % by `fill`. */
export interface DiskFullFault {
  readonly kind: 'disk-full';
  /** Where the full filesystem is mounted, e.g. `/var/log`. */
  readonly mount: string;
  /** Its size in MiB (1-256). */
  readonly size_mb: number;
  /** What `df` shows as its source, e.g. `/dev/vdb1`. */
  readonly device?: string;
  /** Files written first, each `size_kb` of `line` repeated. */
  readonly files?: readonly {
    readonly path: string;
    readonly size_kb: number;
    readonly line?: string;
  }[];
  /** The file that grows until the filesystem is full, made of `fill_line` repeated. */
  readonly fill: string;
  readonly fill_line?: string;
}

/**
 * Builds a full filesystem: `df` shows it at 100 % and writing there fails with ENOSPC.
 *
 * @example
 * ```ts
 * await diskFull.prepare({ kind: 'disk-full', mount: '/var/log', size_mb: 16, fill: '/var/log/app/debug.log' }, context);
 * ```
 */
export const diskFull: HostFault<DiskFullFault> = {
  kind: 'disk-full',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'mount', 'size_mb', 'fill'],
    properties: {
      kind: { const: 'disk-full' },
      mount: hostMountSchema,
      size_mb: { type: 'integer', minimum: 1, maximum: 256 },
      device: { type: 'string', pattern: '^[A-Za-z0-9/._:-]{1,64}$' },
      files: sizedFilesSchema,
      fill: hostPathSchema,
      fill_line: textSchema,
    },
  },
  prepare(spec) {
    const mount = shellQuote(spec.mount);
    const device = shellQuote(spec.device ?? 'tmpfs');
    const script = [
      `mkdir -p ${mount}`,
      `mount -t tmpfs -o size=${spec.size_mb}m,mode=0755 ${device} ${mount}`,
    ];
    for (const file of spec.files ?? []) {
      script.push(
        `mkdir -p ${shellQuote(parentOf(file.path))}`,
        `yes ${shellQuote(file.line ?? 'x')} | head -c ${file.size_kb * 1024} > ${shellQuote(file.path)} || true`,
      );
    }
    const line = spec.fill_line ?? 'x';
    script.push(
      `mkdir -p ${shellQuote(parentOf(spec.fill))}`,
      // `yes` writes until the filesystem is full (ENOSPC) and then fails: that is the point.
      `yes ${shellQuote(line)} >> ${shellQuote(spec.fill)} 2>/dev/null || true`,
    );
    return Promise.resolve({ script });
  },
};
