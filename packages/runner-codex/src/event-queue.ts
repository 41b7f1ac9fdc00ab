/**
 * A single-consumer async queue: producers `push` values and `end` it; the consumer reads it
 * with `for await`. Values wait in memory until read. If the consumer stops early (`break`),
 * `onAbandon` runs once, so the producer can stop too.
 *
 * @example
 * ```ts
 * const queue = new EventQueue<number>(() => stopProducing());
 * queue.push(1);
 * queue.end();
 * for await (const value of queue) console.log(value);
 * ```
 */
export class EventQueue<T> implements AsyncIterable<T> {
  #values: T[] = [];
  #ended = false;
  #wake: (() => void) | undefined;
  #iterating = false;

  constructor(private readonly onAbandon: () => void = () => {}) {}

  /** Whether `end` was called. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Adds a value (ignored after `end`). */
  push(value: T): void {
    if (this.#ended) return;
    this.#values.push(value);
    this.#wake?.();
  }

  /** Ends the stream once the values pushed so far are read. */
  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    if (this.#iterating) throw new Error('these events are already being read');
    this.#iterating = true;
    let finished = false;
    try {
      for (;;) {
        if (this.#values.length > 0) {
          yield this.#values.shift() as T;
          continue;
        }
        if (this.#ended) {
          finished = true;
          return;
        }
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    } finally {
      if (!finished) this.onAbandon();
    }
  }
}
