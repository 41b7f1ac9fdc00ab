import type { Logger } from '@akmatori/core';
import { type Database, toPgArray } from '@akmatori/host';

/** One webhook delivery as its alert source's recent deliveries show it. */
export interface WebhookDelivery {
  /** When the request came. */
  readonly at: Date;
  /** The HTTP status it was answered with. */
  readonly statusCode: number;
  /** True when its alerts were stored (202). */
  readonly accepted: boolean;
  /** The refusal's code (`AKM_WEBHOOK_UNAUTHORIZED`, `AKM_PAYLOAD_INVALID`, …); null when accepted. */
  readonly errorCode: string | null;
  /** The refusal's message; null when accepted. */
  readonly errorMessage: string | null;
  /** Alerts the payload held (0 when refused before they were read). */
  readonly alertCount: number;
  /** The sender's address (see AKMATORI_TRUSTED_PROXY_HOPS). */
  readonly clientAddress: string | null;
  /** How long the answer took. */
  readonly durationMs: number | null;
}

/** Options for {@link DeliveryLog}. */
export interface DeliveryLogOptions {
  /** Deliveries kept per source. Default {@link DELIVERIES_KEPT}. */
  readonly keep?: number;
  /** How often buffered deliveries are written. Default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Most sources buffered between writes; deliveries to others wait for the next. Default 1000. */
  readonly maxSources?: number;
}

/** Deliveries kept per alert source. */
export const DELIVERIES_KEPT = 50;

const MAX_MESSAGE = 1000;

interface DeliveryRow {
  at: Date;
  status_code: number;
  accepted: boolean;
  error_code: string | null;
  error_message: string | null;
  alert_count: number;
  client_address: string | null;
  duration_ms: number | null;
}

/**
 * The last deliveries of each alert source, shared by every replica through the database, at no
 * cost to the webhook's hot path: `record` only keeps the newest few per source in memory, and
 * once a second (or when someone reads them) they are written in one statement and the table
 * trimmed to the newest `keep` per source. Under a storm a source thus costs at most `keep`
 * rows a second, whatever the request rate. Deliveries buffered when a replica dies are lost:
 * this is a diagnostic view, not an audit.
 *
 * @example
 * ```ts
 * log.record(sourceId, { at, statusCode: 202, accepted: true, errorCode: null, errorMessage: null, alertCount: 4, clientAddress: '10.0.0.5', durationMs: 3 });
 * const recent = await log.list(sourceId, 50);
 * ```
 */
export class DeliveryLog {
  readonly #database: Database;
  readonly #log: Logger;
  readonly #keep: number;
  readonly #flushIntervalMs: number;
  readonly #maxSources: number;
  #pending = new Map<string, WebhookDelivery[]>();
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: { database: Database; log: Logger }, options: DeliveryLogOptions = {}) {
    this.#database = deps.database;
    this.#log = deps.log;
    this.#keep = options.keep ?? DELIVERIES_KEPT;
    this.#flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.#maxSources = options.maxSources ?? 1000;
  }

  /** Remembers a delivery until the next write; keeps only the newest `keep` of a source. */
  record(sourceId: string, delivery: WebhookDelivery): void {
    let buffered = this.#pending.get(sourceId);
    if (buffered === undefined) {
      if (this.#pending.size >= this.#maxSources) return;
      buffered = [];
      this.#pending.set(sourceId, buffered);
    }
    buffered.push({
      ...delivery,
      errorMessage: delivery.errorMessage?.slice(0, MAX_MESSAGE) ?? null,
    });
    if (buffered.length > this.#keep) buffered.shift();
  }

  /** Writes the buffered deliveries every `flushIntervalMs`. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      void this.flush().catch((error: unknown) =>
        this.#log.warn({ err: error }, 'webhook deliveries could not be written'),
      );
    }, this.#flushIntervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and writes what is buffered (a failure is logged). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush().catch((error: unknown) =>
      this.#log.warn({ err: error }, 'webhook deliveries could not be written'),
    );
  }

  /** Writes the buffered deliveries and trims their sources to the newest `keep`. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.catch(() => {}).then(() => this.#write());
    return this.#flushing;
  }

  /** The source's newest deliveries (this replica's buffered ones included), newest first. */
  async list(sourceId: string, limit = this.#keep): Promise<WebhookDelivery[]> {
    await this.flush();
    const { rows } = await this.#database.executeSql<DeliveryRow>(
      `select at, status_code, accepted, error_code, error_message, alert_count, client_address, duration_ms
       from webhook_deliveries where source_id = $1 order by at desc, id desc limit $2`,
      [sourceId, Math.min(limit, this.#keep)],
    );
    return rows.map((row) => ({
      at: new Date(row.at),
      statusCode: row.status_code,
      accepted: row.accepted,
      errorCode: row.error_code,
      errorMessage: row.error_message,
      alertCount: row.alert_count,
      clientAddress: row.client_address,
      durationMs: row.duration_ms,
    }));
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    const rows = [...batch].flatMap(([sourceId, deliveries]) =>
      deliveries.map((delivery) => ({
        source_id: sourceId,
        at: delivery.at.toISOString(),
        status_code: delivery.statusCode,
        accepted: delivery.accepted,
        error_code: delivery.errorCode,
        error_message: delivery.errorMessage,
        alert_count: delivery.alertCount,
        client_address: delivery.clientAddress,
        duration_ms: delivery.durationMs,
      })),
    );
    // A delivery to a source deleted meanwhile (or to no source) is dropped, not an error.
    await this.#database.executeSql(
      `insert into webhook_deliveries
         (source_id, at, status_code, accepted, error_code, error_message, alert_count, client_address, duration_ms)
       select r.source_id, r.at, r.status_code, r.accepted, r.error_code, r.error_message, r.alert_count,
         r.client_address, r.duration_ms
       from jsonb_to_recordset($1::jsonb) as r(source_id uuid, at timestamptz, status_code int,
         accepted boolean, error_code text, error_message text, alert_count int, client_address text,
         duration_ms int)
       where exists (select 1 from alert_sources s where s.id = r.source_id)
       order by r.at`,
      [JSON.stringify(rows)],
    );
    await this.#database.executeSql(
      `delete from webhook_deliveries w using (
         select id from (
           select id, row_number() over (partition by source_id order by at desc, id desc) as n
           from webhook_deliveries where source_id = any($1::uuid[])
         ) ranked where n > $2
       ) old where w.id = old.id`,
      [toPgArray([...batch.keys()]), this.#keep],
    );
    this.#log.trace({ sources: batch.size, deliveries: rows.length }, 'webhook deliveries written');
  }
}
