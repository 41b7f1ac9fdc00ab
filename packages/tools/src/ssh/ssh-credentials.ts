import { defineSchema, type SchemaValue } from '@akmatori/core';
import { networkAllowlist } from './network-allowlist.js';

/**
 * The secrets a host's address, port, jump host and pinned host key say where to use: changing
 * those needs the key or password again (the passphrase only unlocks the key here, so it is
 * not among them).
 */
const sshSecrets = Object.freeze(['private_key', 'password']);

/** `SHA256:` then 43 unpadded base64 characters, as `ssh-keygen -lf` prints. */
const fingerprintPattern = '^SHA256:[A-Za-z0-9+/]{43}$';

/**
 * Credential schema of the `ssh` tool type. The cross-field rules it cannot say well
 * (unique host names, `jump_host` naming another host) are in {@link sshCredentialProblems}.
 * Each host's address, port, jump host, host key fingerprint and trust on first use are
 * destinations of the key and the password (`destinationOf`).
 */
export const sshCredentialSchema = defineSchema({
  type: 'object',
  description: 'Hosts the agent may reach over SSH, and how to log in to them.',
  additionalProperties: false,
  required: ['hosts'],
  // `properties: {x: true}` beside `required` keeps ajv's strictRequired satisfied.
  anyOf: [
    { properties: { private_key: true }, required: ['private_key'] },
    { properties: { password: true }, required: ['password'] },
  ],
  properties: {
    hosts: {
      type: 'array',
      description: 'The machines this tool instance reaches.',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'address', 'user'],
        properties: {
          name: {
            type: 'string',
            description: 'Name the agent uses for the host (letters, digits, ".", "_", "-").',
            pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
          },
          address: {
            type: 'string',
            destinationOf: sshSecrets,
            description: 'Hostname or IP address.',
            minLength: 1,
            maxLength: 253,
          },
          port: {
            type: 'integer',
            destinationOf: sshSecrets,
            description: 'SSH port.',
            minimum: 1,
            maximum: 65535,
            default: 22,
          },
          user: { type: 'string', description: 'Login user.', minLength: 1, maxLength: 64 },
          allow_root: {
            type: 'boolean',
            description: 'Must be true to log in as root; root is refused otherwise.',
            default: false,
          },
          jump_host: {
            type: 'string',
            destinationOf: sshSecrets,
            description: 'Name of another host in this list to connect through.',
            minLength: 1,
          },
          host_key_fingerprint: {
            type: 'string',
            destinationOf: sshSecrets,
            description:
              'Expected host key, "SHA256:…" as `ssh-keygen -lf` prints it. Required unless trust_on_first_use.',
            pattern: fingerprintPattern,
          },
          trust_on_first_use: {
            type: 'boolean',
            destinationOf: sshSecrets,
            description: 'Accept and remember the first host key seen instead of a fingerprint.',
            default: false,
          },
          allow_write: {
            type: 'boolean',
            description: 'Whether commands that change the machine may run on it.',
            default: false,
          },
        },
        allOf: [
          {
            if: {
              properties: { user: { const: 'root' } },
              required: ['user'],
            },
            then: {
              properties: { allow_root: { const: true } },
              required: ['allow_root'],
            },
          },
          {
            if: {
              not: {
                properties: { trust_on_first_use: { const: true } },
                required: ['trust_on_first_use'],
              },
            },
            then: {
              properties: { host_key_fingerprint: true },
              required: ['host_key_fingerprint'],
            },
          },
        ],
      },
    },
    network_allowlist: {
      type: 'array',
      description:
        'Network destinations that read-only commands (curl GET/HEAD, ping, dig, host, nslookup, ' +
        'getent hosts) may reach from the hosts without approval: "host", "*.domain", "host:port", ' +
        '"[v6]:port" or an "http(s)://host[:port]/path-prefix" URL. A DNS lookup counts as reaching ' +
        'the name it looks up. Default: none, so every network client needs approval.',
      items: { type: 'string', minLength: 1, maxLength: 2048 },
      maxItems: 256,
      uniqueItems: true,
      default: [],
    },
    private_key: {
      type: 'string',
      description: 'Private key in OpenSSH or PEM format. This or password is required.',
      secret: true,
      minLength: 1,
    },
    password: {
      type: 'string',
      description: 'Login password. This or private_key is required.',
      secret: true,
      minLength: 1,
    },
    passphrase: {
      type: 'string',
      description: 'Passphrase of an encrypted private key.',
      secret: true,
      minLength: 1,
    },
  },
});

/**
 * The settings of one SSH tool instance (secrets included, as the gateway sees them), as
 * {@link sshCredentialSchema} says: the hosts, the network allowlist, and a private key or a
 * password (a union of the two cases).
 */
export type SshCredentials = SchemaValue<typeof sshCredentialSchema>;

/** One machine the SSH tools may reach: an element of {@link SshCredentials}' `hosts`. */
export type SshHost = SshCredentials['hosts'][number];

/**
 * The cross-field rules of SSH settings, as sentences naming the field: root needs
 * `allow_root`, a fingerprint is needed unless trust on first use, a key or a password is
 * needed, host names are unique, `jump_host` names another host without loops, and every
 * `network_allowlist` entry can be read.
 *
 * @example
 * ```ts
 * sshCredentialProblems({ hosts: [{ name: 'db', address: 'db1', user: 'root' }] });
 * // ['hosts.0.user is root but allow_root is not true', ...]
 * ```
 */
export function sshCredentialProblems(settings: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  if (!present(settings.private_key) && !present(settings.password))
    problems.push('private_key or password is required');
  if (Array.isArray(settings.network_allowlist)) {
    const allowlist = networkAllowlist(settings.network_allowlist as string[]);
    if (typeof allowlist === 'string') problems.push(allowlist);
  }
  const hosts = Array.isArray(settings.hosts) ? (settings.hosts as SshHost[]) : [];
  const byName = new Map<string, SshHost>();
  hosts.forEach((host, index) => {
    const at = `hosts.${index}`;
    if (byName.has(host.name)) problems.push(`${at}.name "${host.name}" is used by another host`);
    byName.set(host.name, host);
    if (host.user === 'root' && host.allow_root !== true)
      problems.push(`${at}.user is root but allow_root is not true`);
    if (host.trust_on_first_use !== true && !present(host.host_key_fingerprint))
      problems.push(`${at}.host_key_fingerprint is required unless trust_on_first_use is true`);
  });
  hosts.forEach((host, index) => {
    if (host.jump_host === undefined) return;
    const at = `hosts.${index}.jump_host`;
    if (host.jump_host === host.name) problems.push(`${at} names the host itself`);
    else if (!byName.has(host.jump_host))
      problems.push(`${at} "${host.jump_host}" is not a host in this list`);
    else if (jumpsInALoop(host, byName)) problems.push(`${at} makes a loop of jump hosts`);
  });
  return problems;
}

const present = (value: unknown): boolean => typeof value === 'string' && value !== '';

function jumpsInALoop(start: SshHost, byName: ReadonlyMap<string, SshHost>): boolean {
  const seen = new Set<string>([start.name]);
  let next = start.jump_host === undefined ? undefined : byName.get(start.jump_host);
  while (next !== undefined) {
    if (seen.has(next.name)) return true;
    seen.add(next.name);
    next = next.jump_host === undefined ? undefined : byName.get(next.jump_host);
  }
  return false;
}
