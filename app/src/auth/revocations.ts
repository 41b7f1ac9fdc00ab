/**
 * Tells this process's long-lived connections (the live event sockets) that some credential
 * may have stopped working: a logout, a password change, ended sessions, a disabled or
 * demoted user, a revoked token. Listeners re-check what they hold at once; other replicas
 * notice on their next periodic re-check.
 */
export class Revocations {
  readonly #listeners = new Set<() => void>();

  /** Calls `listener` after every revocation; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Announces that a credential may have been revoked. */
  notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
