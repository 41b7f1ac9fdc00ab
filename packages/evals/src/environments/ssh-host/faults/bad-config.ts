import type { HostFault } from '../fault.js';
import { hostPathSchema } from '../fault.js';
import { writeFileLines } from '../shell.js';

/** `bad-config`: configuration files written with a real mistake (e.g. an nginx syntax error). */
export interface BadConfigFault {
  readonly kind: 'bad-config';
  readonly files: readonly {
    readonly path: string;
    readonly content: string;
    readonly mode?: string;
  }[];
}

/**
 * Writes the files into the host's own /etc (copy-on-write over the machine's) or /opt, /srv,
 * /var: the checker the scenario names (`nginx -t`, a YAML parser, the crash-looping service)
 * reports the mistake.
 *
 * @example
 * ```ts
 * await badConfig.prepare({ kind: 'bad-config', files: [{ path: '/etc/nginx/sites-enabled/shop', content: 'server {' }] }, context);
 * ```
 */
export const badConfig: HostFault<BadConfigFault> = {
  kind: 'bad-config',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'files'],
    properties: {
      kind: { const: 'bad-config' },
      files: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['path', 'content'],
          properties: {
            path: hostPathSchema,
            content: { type: 'string', maxLength: 65536 },
            mode: { type: 'string', pattern: '^0?[0-7]{3}$' },
          },
        },
      },
    },
  },
  prepare(spec) {
    return Promise.resolve({
      script: spec.files.flatMap((file) => writeFileLines(file.path, file.content, file.mode)),
    });
  },
};
