/**
 * Waits for values to show up in a growing list: {@link MessageWaiters.waitFor} resolves with
 * the first value (already there or arriving later) that matches, and fails after a timeout
 * with a message listing what did arrive. Call {@link MessageWaiters.check} after each push.
 */
export class MessageWaiters<T extends { readonly type: string }> {
  #waiting: { match: (value: T) => boolean; resolve: (value: T) => void }[] = [];

  constructor(private readonly values: readonly T[]) {}

  /** Resolves with the first value matching `match`; rejects after `timeoutMs` naming `what`. */
  waitFor<U extends T>(
    what: string,
    match: (value: T) => value is U,
    timeoutMs: number,
  ): Promise<U> {
    const found = this.values.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<U>((resolve, reject) => {
      const waiter = {
        match,
        resolve: (value: T) => {
          clearTimeout(timer);
          resolve(value as U);
        },
      };
      const timer = setTimeout(() => {
        this.#waiting = this.#waiting.filter((entry) => entry !== waiter);
        const types = this.values
          .slice(-40)
          .map((value) => value.type)
          .join(', ');
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; received: ${types || 'nothing'}`,
          ),
        );
      }, timeoutMs);
      this.#waiting.push(waiter);
    });
  }

  /** Settles the waiters whose value has arrived. */
  check(): void {
    for (const waiter of [...this.#waiting]) {
      const found = this.values.find(waiter.match);
      if (found === undefined) continue;
      this.#waiting = this.#waiting.filter((entry) => entry !== waiter);
      waiter.resolve(found);
    }
  }
}
