import { GatewayErrors } from './errors.js';

/** Per-run limits on tool calls. */
export interface RunLimitOptions {
  /** Tool calls of one run in flight at once. */
  readonly maxConcurrentCalls: number;
  /** Tool calls of one run per rolling minute. */
  readonly maxCallsPerMinute: number;
}

interface RunUsage {
  inFlight: number;
  startedAt: number[];
}

/**
 * Counts each run's tool calls, so one runaway run cannot flood a host or an API. `acquire`
 * throws `AKM_GATEWAY_RATE_LIMITED`; the returned function releases the slot.
 *
 * @example
 * ```ts
 * const release = limits.acquire(runId);
 * try { await call(); } finally { release(); }
 * ```
 */
export class RunLimits {
  readonly #options: RunLimitOptions;
  readonly #now: () => number;
  readonly #runs = new Map<string, RunUsage>();

  constructor(options: RunLimitOptions, now: () => number = Date.now) {
    this.#options = options;
    this.#now = now;
  }

  /** Takes a slot for one call of `runId`, or throws when the run is over a limit. */
  acquire(runId: string): () => void {
    const now = this.#now();
    const usage = this.#runs.get(runId) ?? { inFlight: 0, startedAt: [] };
    usage.startedAt = usage.startedAt.filter((at) => now - at < 60_000);
    if (usage.inFlight >= this.#options.maxConcurrentCalls)
      throw GatewayErrors.AKM_GATEWAY_RATE_LIMITED({
        reason: `at most ${this.#options.maxConcurrentCalls} tool calls at once`,
      });
    if (usage.startedAt.length >= this.#options.maxCallsPerMinute)
      throw GatewayErrors.AKM_GATEWAY_RATE_LIMITED({
        reason: `at most ${this.#options.maxCallsPerMinute} tool calls a minute`,
      });
    usage.inFlight += 1;
    usage.startedAt.push(now);
    this.#runs.set(runId, usage);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      usage.inFlight -= 1;
      if (usage.inFlight === 0 && usage.startedAt.every((at) => this.#now() - at >= 60_000))
        this.#runs.delete(runId);
    };
  }
}
