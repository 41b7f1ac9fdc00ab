import type { Clock } from '@akmatori/core';
import type { AlertSourceRecord, AlertSourceRepository, SecretBox } from '@akmatori/host';

/** A source as the webhook needs it: the record plus its opened secret. */
export interface ResolvedAlertSource {
  readonly record: AlertSourceRecord;
  /** The webhook secret in clear, or undefined when the source has none. */
  readonly secret: string | undefined;
}

/** The context a source's webhook secret is sealed with: it cannot be moved to another source. */
export const webhookSecretContext = (sourceId: string): string =>
  `alert_source:${sourceId}:webhook_secret`;

/**
 * Keeps recently used alert sources in memory so the webhook hot path does not read the
 * database and decrypt the secret on every request. Entries are dropped at once when this
 * replica changes a source, or (on PostgreSQL, through the replica feed) another one does;
 * they live at most `ttlMs` in any case.
 */
export class AlertSourceCache {
  readonly #sources: AlertSourceRepository;
  readonly #secretBox: SecretBox;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #entries = new Map<
    string,
    { expires: number; value: Promise<ResolvedAlertSource | undefined> }
  >();
  readonly #listeners = new Set<(id: string, origin: 'here' | 'replica') => void>();

  constructor(sources: AlertSourceRepository, secretBox: SecretBox, clock: Clock, ttlMs = 2000) {
    this.#sources = sources;
    this.#secretBox = secretBox;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** The source with this id, or undefined when there is none. */
  get(id: string): Promise<ResolvedAlertSource | undefined> {
    const now = this.#clock.now().getTime();
    const cached = this.#entries.get(id);
    if (cached !== undefined && cached.expires > now) return cached.value;
    const value = this.#load(id);
    this.#entries.set(id, { expires: now + this.#ttlMs, value });
    value.catch(() => this.#entries.delete(id));
    if (this.#entries.size > 10_000)
      this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }

  /** Forgets a source after it changed (here, or on another replica). */
  invalidate(id: string, origin: 'here' | 'replica' = 'here'): void {
    this.#entries.delete(id);
    for (const listener of this.#listeners) listener(id, origin);
  }

  /** Calls `listener` after every invalidation; returns the unsubscribe. */
  onInvalidate(listener: (id: string, origin: 'here' | 'replica') => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #load(id: string): Promise<ResolvedAlertSource | undefined> {
    const record = await this.#sources.get(id);
    if (record === undefined) return undefined;
    const secret =
      record.webhookSecretSealed === null
        ? undefined
        : this.#secretBox.open(record.webhookSecretSealed, webhookSecretContext(record.id));
    return { record, secret };
  }
}
