import type { StoredRunEvent } from './run-repository.js';

/** Receives stored run events as they are stored. */
export type RunEventListener = (event: StoredRunEvent) => void;

/**
 * Fans stored run events out to live subscribers (`/ws/events`, notifiers). Events are
 * published only after they are stored, so a subscriber that replays from the database up to
 * a cursor and then listens misses nothing. In-process: each replica's own stream carries
 * the runs its workers report; on PostgreSQL the replica feed (`replica-feed.ts`) joins them
 * into one stream of every replica's events for `/ws/events`.
 */
export class RunEventStream {
  readonly #listeners = new Set<RunEventListener>();

  /** Delivers an event to every subscriber; a throwing subscriber does not stop the others. */
  publish(event: StoredRunEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A subscriber's failure is its own; the stream goes on.
      }
    }
  }

  /** Subscribes; returns the function that unsubscribes. */
  subscribe(listener: RunEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** How many subscribers are listening. */
  get size(): number {
    return this.#listeners.size;
  }
}
