/** Where a revocation was made: through this process, or on another replica. */
export type RevocationOrigin = 'here' | 'replica';

/**
 * Tells this process's long-lived connections (the live event sockets) that some credential
 * may have stopped working: a logout, a password change, ended sessions, a disabled or
 * demoted user, a revoked token. Listeners re-check what they hold at once. On PostgreSQL the
 * replica feed passes revocations made here on to the other replicas, and theirs to this one
 * (as `replica`); their periodic re-check catches anything missed.
 */
export class Revocations {
  readonly #listeners = new Set<(origin: RevocationOrigin) => void>();

  /** Calls `listener` after every revocation; returns the unsubscribe. */
  subscribe(listener: (origin: RevocationOrigin) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Announces that a credential may have been revoked (here, unless told otherwise). */
  notify(origin: RevocationOrigin = 'here'): void {
    for (const listener of this.#listeners) listener(origin);
  }
}
