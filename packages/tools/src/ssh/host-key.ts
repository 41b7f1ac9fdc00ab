import { createHash } from 'node:crypto';
import { secretsEqual } from '@akmatori/core';

/**
 * The OpenSSH fingerprint of a host key: `SHA256:` and the unpadded base64 of the SHA-256
 * of the key's wire encoding, as `ssh-keygen -lf -E sha256` prints it.
 *
 * @example
 * ```ts
 * hostKeyFingerprint(rawKey); // 'SHA256:EZ1J31vSZHhndABJo0oauVgmGzMn4QPKlmK2YT6i/BE'
 * ```
 */
export function hostKeyFingerprint(rawKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(rawKey).digest('base64').replace(/=+$/, '')}`;
}

/** Whether two fingerprints are the same, compared in constant time. */
export function sameFingerprint(expected: string, presented: string): boolean {
  return secretsEqual(expected, presented);
}

/**
 * Host keys accepted on first use, by `address:port` (followed by ` via <jump host name>`
 * for a host reached through one): the first key a host presents is remembered, and later
 * connections must present the same one. Kept in memory for the life of the process.
 *
 * @example
 * ```ts
 * const store = new HostKeyTrustStore();
 * store.check('10.0.0.5:22', 'SHA256:…'); // {trusted: true, firstUse: true}
 * ```
 */
export class HostKeyTrustStore {
  readonly #keys = new Map<string, string>();

  /**
   * Remembers `fingerprint` for `endpoint` if none is known; otherwise says whether it is
   * the one remembered, and which one that is.
   */
  check(endpoint: string, fingerprint: string): TrustCheck {
    const known = this.#keys.get(endpoint);
    if (known === undefined) {
      this.#keys.set(endpoint, fingerprint);
      return { trusted: true, firstUse: true, known: fingerprint };
    }
    return { trusted: sameFingerprint(known, fingerprint), firstUse: false, known };
  }

  /** The fingerprint remembered for `endpoint`, if any. */
  known(endpoint: string): string | undefined {
    return this.#keys.get(endpoint);
  }

  /** Forgets the key of `endpoint` (an operator replaced the host). */
  forget(endpoint: string): void {
    this.#keys.delete(endpoint);
  }
}

/** What {@link HostKeyTrustStore.check} found. */
export interface TrustCheck {
  /** True when the key is the remembered one (or was just remembered). */
  readonly trusted: boolean;
  /** True when no key was known before this one. */
  readonly firstUse: boolean;
  /** The fingerprint remembered for the endpoint. */
  readonly known: string;
}

/** The trust-on-first-use store the `ssh` tools share in this process. */
export const processHostKeyTrustStore: HostKeyTrustStore = new HostKeyTrustStore();
