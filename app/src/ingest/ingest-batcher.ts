import type { NewAlertEvent } from '@akmatori/host';

/** Where accepted alerts are stored durably: the inbox table, or the embedded engine's journal. */
export interface AlertInbox {
  /** Stores events; resolves with their ids (in order) once they are durable. */
  append(events: readonly NewAlertEvent[]): Promise<number[]>;
}

interface Pending {
  readonly events: readonly NewAlertEvent[];
  readonly resolve: (ids: number[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Options for {@link IngestBatcher}. */
export interface IngestBatcherOptions {
  /** Most rows written by one statement. Default 5000. */
  readonly maxRows?: number;
  /** Most statements in flight at once. Default 2. */
  readonly maxInFlight?: number;
  /** Called after every committed write with its row count (to wake the incident engine). */
  readonly onCommitted?: (rows: number) => void;
}

/**
 * Group commit for the webhook hot path. Requests hand their alert events to `submit`;
 * everything that arrives while a write is being prepared goes into the same multi-row
 * INSERT, and each request's promise resolves with its ids once that INSERT commits. A write
 * starts on the next turn of the event loop or as soon as one of the (at most two) writes in
 * flight returns, so a lone request waits for no timer and a busy server writes in batches.
 */
export class IngestBatcher {
  readonly #events: AlertInbox;
  readonly #maxRows: number;
  readonly #maxInFlight: number;
  readonly #onCommitted: (rows: number) => void;
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(events: AlertInbox, options: IngestBatcherOptions = {}) {
    this.#events = events;
    this.#maxRows = options.maxRows ?? 5000;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#onCommitted = options.onCommitted ?? (() => {});
  }

  /** Stores events durably; resolves with their ids (in order) after the commit. */
  submit(events: readonly NewAlertEvent[]): Promise<number[]> {
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ events, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when nothing is queued or being written. */
  drained(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    const batch: Pending[] = [];
    let rows = 0;
    while (
      this.#queue.length > 0 &&
      (batch.length === 0 || rows + (this.#queue[0]?.events.length ?? 0) <= this.#maxRows)
    ) {
      const next = this.#queue.shift() as Pending;
      batch.push(next);
      rows += next.events.length;
    }
    if (batch.length === 0) return;
    this.#inFlight++;
    try {
      const ids = await this.#events.append(batch.flatMap((pending) => pending.events));
      let offset = 0;
      for (const pending of batch) {
        pending.resolve(ids.slice(offset, offset + pending.events.length));
        offset += pending.events.length;
      }
      this.#onCommitted(ids.length);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#inFlight--;
      this.#schedule();
      if (this.#queue.length === 0 && this.#inFlight === 0)
        for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
