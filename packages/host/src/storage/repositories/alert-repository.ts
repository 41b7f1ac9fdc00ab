import type { Knex } from 'knex';
import type { AlertSeverity, AlertStatus } from '@akmatori/core';
import type { SqlExecutor } from '../sql.js';

/** A deduplicated alert: one occurrence of a condition at a source, with how often it was seen. */
export interface AlertRecord {
  id: number;
  sourceId: string;
  incidentId: string | null;
  fingerprint: string;
  status: AlertStatus;
  name: string;
  severity: AlertSeverity;
  rawSeverity: string | null;
  host: string | null;
  service: string | null;
  summary: string | null;
  description: string | null;
  runbookUrl: string | null;
  sourceUrl: string | null;
  groupKey: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  extra: Record<string, unknown>;
  startsAt: Date | null;
  endsAt: Date | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  count: number;
}

/** An alert not yet stored (no id). */
export type NewAlert = Omit<AlertRecord, 'id'>;

interface AlertRow {
  id: number | string;
  source_id: string;
  incident_id: string | null;
  fingerprint: string;
  status: AlertStatus;
  name: string;
  severity: AlertSeverity;
  raw_severity: string | null;
  host: string | null;
  service: string | null;
  summary: string | null;
  description: string | null;
  runbook_url: string | null;
  source_url: string | null;
  group_key: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  extra: Record<string, unknown>;
  starts_at: Date | null;
  ends_at: Date | null;
  first_seen_at: Date;
  last_seen_at: Date;
  count: number;
}

const toRecord = (row: AlertRow): AlertRecord => ({
  id: Number(row.id),
  sourceId: row.source_id,
  incidentId: row.incident_id,
  fingerprint: row.fingerprint,
  status: row.status,
  name: row.name,
  severity: row.severity,
  rawSeverity: row.raw_severity,
  host: row.host,
  service: row.service,
  summary: row.summary,
  description: row.description,
  runbookUrl: row.runbook_url,
  sourceUrl: row.source_url,
  groupKey: row.group_key,
  labels: row.labels,
  annotations: row.annotations,
  extra: row.extra,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  firstSeenAt: row.first_seen_at,
  lastSeenAt: row.last_seen_at,
  count: row.count,
});

const toJsonRow = (alert: NewAlert, i: number): Record<string, unknown> => ({
  i,
  source_id: alert.sourceId,
  incident_id: alert.incidentId,
  fingerprint: alert.fingerprint,
  status: alert.status,
  name: alert.name,
  severity: alert.severity,
  raw_severity: alert.rawSeverity,
  host: alert.host,
  service: alert.service,
  summary: alert.summary,
  description: alert.description,
  runbook_url: alert.runbookUrl,
  source_url: alert.sourceUrl,
  group_key: alert.groupKey,
  labels: alert.labels,
  annotations: alert.annotations,
  extra: alert.extra,
  starts_at: alert.startsAt?.toISOString() ?? null,
  ends_at: alert.endsAt?.toISOString() ?? null,
  first_seen_at: alert.firstSeenAt.toISOString(),
  last_seen_at: alert.lastSeenAt.toISOString(),
  count: alert.count,
});

const recordColumns = `source_id uuid, incident_id uuid, fingerprint text, status text, name text, severity text,
  raw_severity text, host text, service text, summary text, description text, runbook_url text, source_url text,
  group_key text, labels jsonb, annotations jsonb, extra jsonb, starts_at timestamptz, ends_at timestamptz,
  first_seen_at timestamptz, last_seen_at timestamptz, count int`;

const columnList = `source_id, incident_id, fingerprint, status, name, severity, raw_severity, host, service, summary,
  description, runbook_url, source_url, group_key, labels, annotations, extra, starts_at, ends_at, first_seen_at,
  last_seen_at, count`;

/** Reads and writes `alerts`. Engine methods run inside the engine's transaction. */
export class AlertRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** The most recent alert for each (source, fingerprint) given. */
  async latestFor(
    sql: SqlExecutor,
    keys: readonly { sourceId: string; fingerprint: string }[],
  ): Promise<AlertRecord[]> {
    if (keys.length === 0) return [];
    const result = await sql<AlertRow>(
      `select distinct on (a.source_id, a.fingerprint) a.*
       from alerts a
       join jsonb_to_recordset($1::jsonb) as k(s uuid, f text) on a.source_id = k.s and a.fingerprint = k.f
       order by a.source_id, a.fingerprint, a.id desc`,
      [JSON.stringify(keys.map((key) => ({ s: key.sourceId, f: key.fingerprint })))],
    );
    return result.rows.map(toRecord);
  }

  /** Inserts alerts in one statement; returns their ids in order. */
  async insertMany(sql: SqlExecutor, alerts: readonly NewAlert[]): Promise<number[]> {
    if (alerts.length === 0) return [];
    const result = await sql<{ id: number | string }>(
      `insert into alerts (${columnList})
       select ${columnList} from jsonb_to_recordset($1::jsonb) as r(i int, ${recordColumns}) order by r.i
       returning id`,
      [JSON.stringify(alerts.map(toJsonRow))],
    );
    return result.rows.map((row) => Number(row.id));
  }

  /** Writes back changed alerts in one statement. */
  async updateMany(sql: SqlExecutor, alerts: readonly AlertRecord[]): Promise<void> {
    if (alerts.length === 0) return;
    await sql(
      `update alerts a set
         incident_id = r.incident_id, status = r.status, name = r.name, severity = r.severity,
         raw_severity = r.raw_severity, host = r.host, service = r.service, summary = r.summary,
         description = r.description, runbook_url = r.runbook_url, source_url = r.source_url,
         labels = r.labels, annotations = r.annotations, extra = r.extra, starts_at = r.starts_at,
         ends_at = r.ends_at, last_seen_at = r.last_seen_at, count = r.count
       from jsonb_to_recordset($1::jsonb) as r(id bigint, i int, ${recordColumns})
       where a.id = r.id`,
      [JSON.stringify(alerts.map((alert, i) => ({ ...toJsonRow(alert, i), id: alert.id })))],
    );
  }

  /**
   * The alerts of an incident, oldest first, at most `limit` (a storm's incident can hold
   * hundreds of thousands: callers take a page and read the count from the incident).
   */
  async listByIncident(incidentId: string, options: { limit: number }): Promise<AlertRecord[]> {
    const rows = (await this.#knex('alerts')
      .where({ incident_id: incidentId })
      .orderBy('id', 'asc')
      .limit(options.limit)) as AlertRow[];
    return rows.map(toRecord);
  }
}
