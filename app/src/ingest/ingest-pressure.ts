/**
 * How hard the webhook is being hit: alert events committed in the last moments. The
 * incident engine reads it to step aside during a storm, so accepting alerts (the part a
 * sender waits for) keeps the CPU and the database, and applying them catches up after.
 */
export class IngestPressure {
  readonly #windowMs: number;
  readonly #threshold: number;
  readonly #activeMs: number;
  readonly #now: () => number;
  #commits: { at: number; count: number }[] = [];
  #lastCommitAt = Number.NEGATIVE_INFINITY;

  /**
   * @param threshold events within `windowMs` above which ingest counts as a storm
   *   (default 2000 in 500 ms, i.e. 4000 alerts/s)
   * @param activeMs ingest counts as active for this long after a commit (default 100 ms)
   */
  constructor(
    options: { windowMs?: number; threshold?: number; activeMs?: number; now?: () => number } = {},
  ) {
    this.#windowMs = options.windowMs ?? 500;
    this.#activeMs = options.activeMs ?? 100;
    this.#threshold = options.threshold ?? 2000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Records a commit of `count` events. */
  record(count: number): void {
    const now = this.#now();
    this.#lastCommitAt = now;
    this.#commits.push({ at: now, count });
    if (this.#commits.length > 256) this.#prune(now);
  }

  /** True while more than the threshold of events arrived within the window. */
  get high(): boolean {
    const now = this.#now();
    this.#prune(now);
    let total = 0;
    for (const commit of this.#commits) total += commit.count;
    return total > this.#threshold;
  }

  /**
   * True while webhooks are being answered at all (a commit within `activeMs`), storm or not.
   * Senders then wait on the database the engine's batches also use: the engine paces itself.
   */
  get active(): boolean {
    return this.#now() - this.#lastCommitAt <= this.#activeMs;
  }

  #prune(now: number): void {
    const from = now - this.#windowMs;
    let drop = 0;
    while (drop < this.#commits.length && (this.#commits[drop]?.at ?? now) < from) drop++;
    if (drop > 0) this.#commits = this.#commits.slice(drop);
  }
}
