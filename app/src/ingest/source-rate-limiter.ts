import type { Clock } from '@akmatori/core';

/**
 * Webhook requests a minute a new source accepts. An alert storm reaches Akmatori as few
 * requests (Alertmanager and Grafana send one per alert group, 100 alerts in one request is
 * common); the senders that send one request per alert (Zabbix, Datadog) stay far below 100 a
 * second from one source. A bucket holds a full minute's allowance, so a burst of 6000 requests
 * passes at once.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;

interface Bucket {
  /** Requests that may still pass now (fractions refill continuously). */
  tokens: number;
  /** When `tokens` was last brought up to date, in ms. */
  at: number;
  /** The limit the bucket was made for: a changed limit starts a new bucket. */
  readonly limit: number;
}

/**
 * Per-source rate limits on the webhook, counted in this process's memory (a token bucket per
 * source, refilled continuously at the source's limit a minute and holding at most one
 * minute's worth). Each API replica counts on its own: behind a load balancer spreading over
 * N replicas, a source gets up to N times its limit. Costs a map lookup and a few arithmetic
 * operations a request.
 */
export class SourceRateLimiter {
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Counts one request for `sourceId` against `limitPerMinute` (0: no limit). Returns 0 when it
   * may pass, else the whole seconds until one will (for `Retry-After`).
   */
  take(sourceId: string, limitPerMinute: number): number {
    if (limitPerMinute <= 0) return 0;
    const now = this.#clock.now().getTime();
    let bucket = this.#buckets.get(sourceId);
    if (bucket === undefined || bucket.limit !== limitPerMinute) {
      bucket = { tokens: limitPerMinute, at: now, limit: limitPerMinute };
      this.#buckets.set(sourceId, bucket);
    }
    const perMs = limitPerMinute / 60_000;
    bucket.tokens = Math.min(limitPerMinute, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }
}
