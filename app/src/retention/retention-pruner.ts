import type { Database, SqlExecutor } from '@akmatori/host';
import { SLACK_EVENT_KEEP_MS } from '../slack/slack-message-store.js';
import { AUDIT_FLOOR_DAYS, type StoredRetention } from './retention-settings.js';

/** How many rows of each kind one retention run deleted. */
export interface PrunedCounts {
  /** Run events older than `run_events_days`. */
  run_events: number;
  /** Run recordings (what replay answers from) older than `run_events_days`, like the timeline. */
  run_recordings: number;
  /** Model usage rows older than `model_usage_days`. */
  model_usage: number;
  /** Applied webhook payloads older than `alert_events_days`. */
  alert_events: number;
  /** Incidents closed longer ago than `resolved_incidents_days`. */
  incidents: number;
  /** The alerts of those incidents. */
  incident_alerts: number;
  /** Their runs (each run's events and recording and the incident's Codex session go with them). */
  incident_runs: number;
  /** Their approval requests. */
  incident_approvals: number;
  /** Tool call audit records older than `tool_calls_days`. */
  tool_calls: number;
  /** Operator audit records (`audit_events`) older than `tool_calls_days`: both audits are kept alike. */
  audit_events: number;
  /** Eval runs (scorecards) started longer ago than `eval_runs_days`; their results go with them. */
  eval_runs: number;
  /** Ids of Slack events handled (`slack_events`), kept {@link SLACK_EVENT_KEEP_MS} to drop Slack's retries. */
  slack_events: number;
}

/** What one retention run did. */
export interface PruneReport {
  /** Rows deleted, by kind. */
  readonly pruned: PrunedCounts;
  /** Kinds that still had old rows when the run's batch allowance ran out; the next run goes on. */
  readonly unfinished: readonly (keyof PrunedCounts)[];
}

/** Limits that keep each statement short. */
export interface PruneLimits {
  /** Rows one DELETE removes at most (default 1000). */
  readonly batchSize?: number;
  /** Incidents one transaction (and eval runs one statement) removes at most, each with its dependents (default 100). */
  readonly incidentBatchSize?: number;
  /** Batches per kind per run (default 500); what is left waits for the next run. */
  readonly maxBatches?: number;
}

const DAY_MS = 86_400_000;

/** Old rows of the tables that are pruned by age alone, by the timestamp that dates them. */
const byAge = {
  run_events: { setting: 'run_events_days', where: 'at < $1::timestamptz' },
  run_recordings: { setting: 'run_events_days', where: 'recorded_at < $1::timestamptz' },
  model_usage: { setting: 'model_usage_days', where: 'recorded_at < $1::timestamptz' },
  // An event not yet applied to incidents is kept whatever its age: it is the alert itself.
  alert_events: {
    setting: 'alert_events_days',
    where: 'received_at < $1::timestamptz and processed_at is not null',
  },
} as const satisfies Record<string, { setting: keyof StoredRetention; where: string }>;

/**
 * An incident is closed when its investigation is over and no alert of it fires (a manual
 * incident has none); it closed at the later of its last change and its alerts' resolution.
 * An incident with a run queued or going is never closed.
 */
const closedIncidents = `
  select i.id from incidents i
  where i.status in ('completed', 'failed', 'cancelled')
    and (i.alerts_resolved_at is not null or i.source_type = 'manual')
    and greatest(i.updated_at, coalesce(i.alerts_resolved_at, i.updated_at)) < $1::timestamptz
    and not exists (
      select 1 from runs r where r.incident_id = i.id and r.status in ('queued', 'running'))
  limit $2
  for update of i skip locked`;

const inIds = 'in (select (jsonb_array_elements_text($1::jsonb))::uuid)';

/**
 * Deletes what the retention settings no longer keep, in short batches (each its own
 * statement or transaction), so that no table is locked for long however much is due.
 * The tool call audit is deleted only inside a transaction that sets `akmatori.retention`,
 * the one way past its insert-only trigger, and never younger than {@link AUDIT_FLOOR_DAYS}.
 *
 * @example
 * ```ts
 * const report = await new RetentionPruner(database).prune(await settings.get(), clock.now());
 * report.pruned.run_events; // rows deleted
 * ```
 */
export class RetentionPruner {
  readonly #database: Database;
  readonly #batchSize: number;
  readonly #incidentBatchSize: number;
  readonly #maxBatches: number;

  constructor(database: Database, limits: PruneLimits = {}) {
    this.#database = database;
    this.#batchSize = limits.batchSize ?? 1000;
    this.#incidentBatchSize = limits.incidentBatchSize ?? 100;
    this.#maxBatches = limits.maxBatches ?? 500;
  }

  /** Deletes every row older than its setting allows, as of `now`. */
  async prune(retention: StoredRetention, now: Date): Promise<PruneReport> {
    const pruned: PrunedCounts = {
      run_events: 0,
      model_usage: 0,
      alert_events: 0,
      incidents: 0,
      incident_alerts: 0,
      incident_runs: 0,
      incident_approvals: 0,
      tool_calls: 0,
      audit_events: 0,
      slack_events: 0,
      run_recordings: 0,
      eval_runs: 0,
    };
    const unfinished: (keyof PrunedCounts)[] = [];
    const cutoff = (days: number | null): string | undefined =>
      days === null ? undefined : new Date(now.getTime() - days * DAY_MS).toISOString();

    const incidentsBefore = cutoff(retention.resolved_incidents_days);
    if (incidentsBefore !== undefined)
      await this.#batches('incidents', unfinished, async () => {
        const batch = await this.#database.transaction((sql) =>
          this.#pruneIncidents(sql, incidentsBefore),
        );
        for (const key of Object.keys(batch) as (keyof typeof batch)[]) pruned[key] += batch[key];
        return { deleted: batch.incidents, limit: this.#incidentBatchSize };
      });

    for (const [kind, { setting, where }] of Object.entries(byAge) as [
      keyof typeof byAge,
      (typeof byAge)[keyof typeof byAge],
    ][]) {
      const before = cutoff(retention[setting]);
      if (before === undefined) continue;
      await this.#batches(kind, unfinished, async () => {
        const { rowCount } = await this.#database.executeSql(
          `delete from ${kind} where id in (select id from ${kind} where ${where} limit $2)`,
          [before, this.#batchSize],
        );
        pruned[kind] += rowCount;
        return { deleted: rowCount, limit: this.#batchSize };
      });
    }

    const auditBefore = cutoff(retention.tool_calls_days);
    if (auditBefore !== undefined)
      for (const [kind, column] of [
        ['tool_calls', 'recorded_at'],
        ['audit_events', 'at'],
      ] as const)
        await this.#batches(kind, unfinished, async () => {
          const rowCount = await this.#database.transaction(async (sql) => {
            await sql("select set_config('akmatori.retention', 'on', true)");
            const result = await sql(
              `delete from ${kind} where id in (
                 select id from ${kind}
                 where ${column} < least($1::timestamptz, now() - interval '${AUDIT_FLOOR_DAYS} days')
                 limit $2)`,
              [auditBefore, this.#batchSize],
            );
            return result.rowCount;
          });
          pruned[kind] += rowCount;
          return { deleted: rowCount, limit: this.#batchSize };
        });

    // Each eval run goes with its results and their skill versions (by cascade): few per batch.
    const evalRunsBefore = cutoff(retention.eval_runs_days);
    if (evalRunsBefore !== undefined)
      await this.#batches('eval_runs', unfinished, async () => {
        const { rowCount } = await this.#database.executeSql(
          `delete from eval_runs where id in (
             select id from eval_runs where started_at < $1::timestamptz limit $2)`,
          [evalRunsBefore, this.#incidentBatchSize],
        );
        pruned.eval_runs += rowCount;
        return { deleted: rowCount, limit: this.#incidentBatchSize };
      });

    // Not a setting: an event id is only needed while Slack may still retry the event.
    const slackBefore = new Date(now.getTime() - SLACK_EVENT_KEEP_MS).toISOString();
    await this.#batches('slack_events', unfinished, async () => {
      const { rowCount } = await this.#database.executeSql(
        `delete from slack_events where event_id in (
           select event_id from slack_events where received_at < $1::timestamptz limit $2)`,
        [slackBefore, this.#batchSize],
      );
      pruned.slack_events += rowCount;
      return { deleted: rowCount, limit: this.#batchSize };
    });

    return { pruned, unfinished };
  }

  /** Runs `batch` until one deletes less than its limit or the allowance is used up. */
  async #batches(
    kind: keyof PrunedCounts,
    unfinished: (keyof PrunedCounts)[],
    batch: () => Promise<{ deleted: number; limit: number }>,
  ): Promise<void> {
    for (let done = 0; done < this.#maxBatches; done++) {
      const { deleted, limit } = await batch();
      if (deleted < limit) return;
    }
    unfinished.push(kind);
  }

  /** One batch of closed incidents with their alerts, approvals and runs (events cascade). */
  async #pruneIncidents(
    sql: SqlExecutor,
    before: string,
  ): Promise<
    Pick<PrunedCounts, 'incidents' | 'incident_alerts' | 'incident_runs' | 'incident_approvals'>
  > {
    const { rows } = await sql<{ id: string }>(closedIncidents, [before, this.#incidentBatchSize]);
    if (rows.length === 0)
      return { incidents: 0, incident_alerts: 0, incident_runs: 0, incident_approvals: 0 };
    const ids = [JSON.stringify(rows.map((row) => row.id))];
    const runs = await sql<{ n: string | number }>(
      `select count(*) as n from runs where incident_id ${inIds}`,
      ids,
    );
    const approvals = await sql(`delete from approvals where incident_id ${inIds}`, ids);
    const alerts = await sql(`delete from alerts where incident_id ${inIds}`, ids);
    // Runs, their events and the incident's Codex session go by cascade.
    const incidents = await sql(`delete from incidents where id ${inIds}`, ids);
    return {
      incidents: incidents.rowCount,
      incident_alerts: alerts.rowCount,
      incident_runs: Number(runs.rows[0]?.n ?? 0),
      incident_approvals: approvals.rowCount,
    };
  }
}
