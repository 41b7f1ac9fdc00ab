import { defineErrorCatalog } from '@akmatori/core';
import type { SshCredentials } from './ssh-credentials.js';

/** Where a host is reached: its name and `address:port`, for messages. */
interface At {
  readonly host: string;
  readonly endpoint: string;
}

/**
 * Why the SSH tools could not reach a host. Codes are stable; messages name the host and
 * never carry secrets. They end up in tool results (`error`, `error_code`), not HTTP
 * responses, so the status is that of a failed upstream (502).
 */
export const SshErrors = defineErrorCatalog({
  AKM_SSH_HOST_KEY_MISMATCH: {
    status: 502,
    message: (p: At & { expected: string; presented: string }) =>
      `host key of ${p.host} (${p.endpoint}) does not match the pinned fingerprint: ` +
      `expected ${p.expected}, presented ${p.presented}; refusing to connect`,
  },
  AKM_SSH_HOST_KEY_CHANGED: {
    status: 502,
    message: (p: At & { trusted: string; presented: string }) =>
      `host key of ${p.host} (${p.endpoint}) changed since it was first trusted: ` +
      `trusted ${p.trusted}, presented ${p.presented}; refusing to connect`,
  },
  AKM_SSH_HOST_KEY_UNVERIFIABLE: {
    status: 502,
    message: (p: At & { presented: string }) =>
      `host key of ${p.host} (${p.endpoint}) cannot be verified: no host_key_fingerprint ` +
      `and trust_on_first_use is off (presented ${p.presented}); refusing to connect`,
  },
  AKM_SSH_ROOT_REFUSED: {
    status: 403,
    message: (p: { host: string }) =>
      `login as root on ${p.host} refused: the host does not set allow_root`,
  },
  AKM_SSH_AUTH_FAILED: {
    status: 502,
    message: (p: At & { user: string; reason: string }) =>
      `authentication as "${p.user}" on ${p.host} (${p.endpoint}) failed: ${p.reason}`,
  },
  AKM_SSH_HANDSHAKE_TIMEOUT: {
    status: 504,
    message: (p: At & { seconds: number }) =>
      `no SSH handshake with ${p.host} (${p.endpoint}) within ${p.seconds} s`,
  },
  AKM_SSH_CONNECT_FAILED: {
    status: 502,
    message: (p: At & { reason: string }) =>
      `could not connect to ${p.host} (${p.endpoint}): ${p.reason}`,
  },
  AKM_SSH_JUMP_FAILED: {
    status: 502,
    message: (p: { host: string; jumpHost: string; reason: string }) =>
      `could not reach ${p.host} through jump host ${p.jumpHost}: ${p.reason}`,
  },
  AKM_SSH_EXEC_FAILED: {
    status: 502,
    message: (p: { host: string; reason: string }) =>
      `could not run the command on ${p.host}: ${p.reason}`,
  },
  AKM_SSH_CANCELLED: {
    status: 499,
    message: (p: { host: string }) => `cancelled before ${p.host} finished`,
  },
});

/**
 * The secrets of `credentials` (private key, password, passphrase), to scrub out of error text
 * from the SSH library with core's `scrubSecrets` before it reaches a result or a log (a
 * private key is scrubbed line by line too).
 *
 * @example
 * ```ts
 * scrubSecrets('bad password hunter2', credentialSecrets({ hosts: [], password: 'hunter2' })); // 'bad password [secret scrubbed]'
 * ```
 */
export function credentialSecrets(credentials: SshCredentials): string[] {
  return [credentials.private_key, credentials.password, credentials.passphrase].filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );
}
