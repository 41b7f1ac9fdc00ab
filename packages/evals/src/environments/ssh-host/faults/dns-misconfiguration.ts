import type { HostFault } from '../fault.js';
import { writeFileLines } from '../shell.js';

/** `dns-misconfiguration`: the host's own /etc/resolv.conf and /etc/hosts, written wrong. */
export interface DnsMisconfigurationFault {
  readonly kind: 'dns-misconfiguration';
  /** The whole /etc/resolv.conf, e.g. a nameserver nobody answers on. */
  readonly resolv_conf?: string;
  /** Lines added to the host's /etc/hosts (e.g. a stale address). */
  readonly hosts?: readonly string[];
}

/**
 * Writes the host's resolver configuration. The host has only a loopback network, so a
 * nameserver other than a loopback one never answers: `getent hosts NAME` fails (exit 2)
 * for every name /etc/hosts does not list, and a stale /etc/hosts line wins over DNS.
 *
 * @example
 * ```ts
 * await dnsMisconfiguration.prepare({ kind: 'dns-misconfiguration', resolv_conf: 'nameserver 10.0.0.53\n' }, context);
 * ```
 */
export const dnsMisconfiguration: HostFault<DnsMisconfigurationFault> = {
  kind: 'dns-misconfiguration',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    anyOf: [{ required: ['resolv_conf'] }, { required: ['hosts'] }],
    properties: {
      kind: { const: 'dns-misconfiguration' },
      resolv_conf: { type: 'string', maxLength: 4000 },
      hosts: {
        type: 'array',
        maxItems: 50,
        items: { type: 'string', pattern: '^[0-9A-Fa-f.:]+[ \\t]+[A-Za-z0-9. \\t_-]+$' },
      },
    },
  },
  prepare(spec, context) {
    const script: string[] = [];
    if (spec.resolv_conf !== undefined) {
      script.push(...writeFileLines('/etc/resolv.conf', spec.resolv_conf));
    }
    if (spec.hosts !== undefined) {
      const hosts = [
        '127.0.0.1\tlocalhost',
        `127.0.1.1\t${context.hostname}`,
        '::1\tlocalhost ip6-localhost ip6-loopback',
        ...spec.hosts,
        '',
      ].join('\n');
      script.push(...writeFileLines('/etc/hosts', hosts));
    }
    return Promise.resolve({ script });
  },
};
