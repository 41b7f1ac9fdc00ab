import type { AlertSeverity, AlertStatus } from '@akmatori/core';
import type { Database } from '../database.js';
import type { SqlExecutor } from '../sql.js';

/**
 * A normalized alert as stored in the inbox: dates as ISO strings, the group key resolved,
 * the payload item dropped.
 */
export interface ReceivedAlert {
  readonly name: string;
  readonly status: AlertStatus;
  readonly severity: AlertSeverity;
  readonly rawSeverity?: string;
  readonly fingerprint: string;
  readonly groupKey: string;
  readonly host?: string;
  readonly service?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly runbookUrl?: string;
  readonly sourceUrl?: string;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly extra: Readonly<Record<string, unknown>>;
  /**
   * Set only for the alert source test (`POST /api/alert-sources/{uuid}/test`), never from a
   * sender's payload: the incident it opens is marked as a test and is investigated only when
   * `investigate` is true.
   */
  readonly test?: { readonly investigate: boolean };
}

/** One received alert waiting for (or past) the incident engine. */
export interface AlertEventRecord {
  /** Sequence number; also the receipt id returned to the sender. */
  readonly id: number;
  /** The source it came from. */
  readonly sourceId: string;
  /** When it arrived. */
  readonly receivedAt: Date;
  /** The alert. */
  readonly alert: ReceivedAlert;
}

/** A received alert to store. */
export interface NewAlertEvent {
  readonly sourceId: string;
  readonly receivedAt: Date;
  readonly alert: ReceivedAlert;
}

interface AlertEventRow {
  id: number | string;
  source_id: string;
  received_at: Date;
  alert: ReceivedAlert;
}

/**
 * The durable inbox of received alerts (`alert_events`). The webhook appends to it and
 * answers once the append commits; the incident engine consumes it.
 */
export class AlertEventRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Appends events in one statement and returns their ids in the same order. The rows of
   * many requests are appended together, so the statement takes a single JSON parameter
   * whatever the row count. The inbox keeps each alert as `json` (text, checked but not
   * converted), the cheapest form to write; it is read once, by the engine.
   */
  async append(events: readonly NewAlertEvent[]): Promise<number[]> {
    if (events.length === 0) return [];
    const payload = JSON.stringify(
      events.map((event) => ({
        s: event.sourceId,
        r: event.receivedAt.toISOString(),
        a: event.alert,
      })),
    );
    const result = await this.#db.executeSql<{ id: number | string }>(
      `insert into alert_events (source_id, received_at, alert)
       select (e->>'s')::uuid, (e->>'r')::timestamptz, e->'a'
       from json_array_elements($1::json) with ordinality as t(e, n)
       order by n
       returning id`,
      [payload],
    );
    return result.rows.map((row) => Number(row.id));
  }

  /** The oldest events not yet processed, at most `limit`, within the caller's transaction. */
  async unprocessed(sql: SqlExecutor, limit: number): Promise<AlertEventRecord[]> {
    const result = await sql<AlertEventRow>(
      'select id, source_id, received_at, alert from alert_events where processed_at is null order by id limit $1',
      [limit],
    );
    return result.rows.map((row) => ({
      id: Number(row.id),
      sourceId: row.source_id,
      receivedAt: row.received_at,
      alert: row.alert,
    }));
  }

  /** Marks events processed, within the caller's transaction. */
  async markProcessed(sql: SqlExecutor, ids: readonly number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await sql('update alert_events set processed_at = $2 where id = any($1::bigint[])', [
      toPgArray(ids),
      at.toISOString(),
    ]);
  }

  /** How many events wait for the engine. */
  async countUnprocessed(): Promise<number> {
    const result = await this.#db.executeSql<{ n: number | string }>(
      'select count(*) as n from alert_events where processed_at is null',
    );
    return Number(result.rows[0]?.n ?? 0);
  }
}

/** Writes a list as a PostgreSQL array literal, which both drivers pass through as text. */
export function toPgArray(values: readonly (string | number)[]): string {
  return `{${values.map((value) => (typeof value === 'number' ? String(value) : `"${value.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}
