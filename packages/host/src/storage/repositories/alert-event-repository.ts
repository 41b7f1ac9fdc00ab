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

  /**
   * Adds events written first to the embedded engine's inbox journal, keeping their ids. `json`
   * is their JSON array, each `{"i":id,"s":source,"r":received,"a":alert}` (as the journal
   * stores them, so they are not parsed on the way); `lastId` is the highest id among them.
   * An id already in the table is skipped (a move repeated after a crash), and so is an event
   * whose source was deleted meanwhile (its events go with it). Returns the rows added.
   */
  async insertJournaled(json: string, lastId: number): Promise<number> {
    return this.#db.transaction(async (sql) => {
      const result = await sql(
        `insert into alert_events (id, source_id, received_at, alert)
         select (e->>'i')::bigint, s.id, (e->>'r')::timestamptz, e->'a'
         from json_array_elements($1::json) as t(e)
         join alert_sources s on s.id = (e->>'s')::uuid
         order by 1
         on conflict (id) do nothing`,
        [json],
      );
      // The ids came from the journal: the sequence must not hand them out again.
      await sql(
        `select setval('alert_events_id_seq', greatest($1::bigint, (select last_value from alert_events_id_seq)))`,
        [lastId],
      );
      return result.rowCount;
    });
  }

  /**
   * Where the table's ids stand: the highest id in it, and the highest the sequence ever issued
   * (ids of pruned events included). The embedded inbox journal continues above both.
   */
  async idWatermarks(): Promise<{ highestStored: number; lastIssued: number }> {
    const result = await this.#db.executeSql<{ stored: number | string; issued: number | string }>(
      `select (select coalesce(max(id), 0) from alert_events) as stored,
              (select case when is_called then last_value else 0 end from alert_events_id_seq) as issued`,
    );
    const row = result.rows[0];
    return { highestStored: Number(row?.stored ?? 0), lastIssued: Number(row?.issued ?? 0) };
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
