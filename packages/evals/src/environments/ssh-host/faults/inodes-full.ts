import type { HostFault } from '../fault.js';
import { hostMountSchema, hostPathSchema } from '../fault.js';
import { shellQuote } from '../shell.js';

/** `inodes-full`: a tmpfs with `inodes` inodes at `mount`, every one used by files in `dir`. */
export interface InodesFullFault {
  readonly kind: 'inodes-full';
  readonly mount: string;
  /** The filesystem's inode count (`nr_inodes`, 64-20000). */
  readonly inodes: number;
  /** Its size in MiB (1-64; space stays mostly free). */
  readonly size_mb?: number;
  readonly device?: string;
  /** The directory the empty files are created in, e.g. `/var/lib/php/sessions`. */
  readonly dir: string;
  /** File name prefix, e.g. `sess_`. */
  readonly prefix?: string;
}

/**
 * Builds an inode table that is full while space is free: `df -i` shows IUse% 100 and
 * creating a file fails with ENOSPC.
 *
 * @example
 * ```ts
 * await inodesFull.prepare({ kind: 'inodes-full', mount: '/var/lib/php', inodes: 2000, dir: '/var/lib/php/sessions' }, context);
 * ```
 */
export const inodesFull: HostFault<InodesFullFault> = {
  kind: 'inodes-full',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'mount', 'inodes', 'dir'],
    properties: {
      kind: { const: 'inodes-full' },
      mount: hostMountSchema,
      inodes: { type: 'integer', minimum: 64, maximum: 20000 },
      size_mb: { type: 'integer', minimum: 1, maximum: 64 },
      device: { type: 'string', pattern: '^[A-Za-z0-9/._:-]{1,64}$' },
      dir: hostPathSchema,
      prefix: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$' },
    },
  },
  prepare(spec) {
    const mount = shellQuote(spec.mount);
    const dir = shellQuote(spec.dir);
    const prefix = spec.prefix ?? 'f';
    return Promise.resolve({
      script: [
        `mkdir -p ${mount}`,
        `mount -t tmpfs -o size=${spec.size_mb ?? 16}m,nr_inodes=${spec.inodes},mode=0755 ${shellQuote(spec.device ?? 'tmpfs')} ${mount}`,
        `mkdir -p ${dir}`,
        // Empty files until no inode is left (the loop ends on ENOSPC).
        `{ i=0; while true > ${dir}/${prefix}$i; do i=$((i + 1)); done; } 2>/dev/null`,
      ],
    });
  },
};
