import type { AlertSeverity, IncidentState } from '@akmatori/core';
import type { SqlExecutor } from '../sql.js';
import { storedActor, systemActor } from './incident-row.js';

/** How one engine batch changes one incident's counters. */
export interface CounterDelta {
  /** Alerts added to the incident. */
  readonly added: number;
  /** Change in firing alerts (new firing ones minus resolved ones). */
  readonly firing: number;
  /** The most urgent severity seen in the batch, if any. */
  readonly severity: AlertSeverity | null;
}

/** An incident whose own state a batch of alerts changed. */
export interface IncidentStateChange {
  readonly id: string;
  readonly from: IncidentState;
  readonly to: IncidentState;
}

/** What one engine batch did to incidents besides counting. */
export interface CounterOutcome {
  /** Incidents whose alerts have now all resolved. */
  readonly alertsResolved: string[];
  /** Incidents resolved by `system` (all alerts resolved) or reopened (an alert fired again). */
  readonly stateChanges: IncidentStateChange[];
}

/**
 * Adds each incident's counter changes from one engine batch, in one statement: alerts added,
 * change in firing alerts, the most urgent new severity (an incident keeps its most urgent
 * one). An incident whose firing count reaches zero has its alerts resolved, and is resolved by
 * `system` unless already resolved; a resolved incident that gains a firing alert is reopened
 * (open again, its acknowledgement and resolution cleared, `reopen_count` + 1).
 *
 * @example
 * ```ts
 * const { alertsResolved, stateChanges } = await applyIncidentCounters(sql, counters, now);
 * ```
 */
export async function applyIncidentCounters(
  sql: SqlExecutor,
  deltas: ReadonlyMap<string, CounterDelta>,
  at: Date,
): Promise<CounterOutcome> {
  if (deltas.size === 0) return { alertsResolved: [], stateChanges: [] };
  const rank = (column: string): string =>
    `case ${column} when 'critical' then 1 when 'high' then 2 when 'warning' then 3 when 'info' then 4 else 5 end`;
  const drained = 'i.firing_count + d.firing <= 0';
  const reopens = `(d.added > 0 and i.state = 'resolved' and not (${drained}))`;
  // `o` is the row as it was: RETURNING gives its state next to the new one.
  const result = await sql<{
    id: string;
    old_state: IncidentState;
    new_state: IncidentState;
    now_resolved: boolean;
  }>(
    `with d as (
       select * from jsonb_to_recordset($1::jsonb) as d(id uuid, added int, firing int, severity text)
     )
     update incidents i set
       alert_count = i.alert_count + d.added,
       firing_count = greatest(i.firing_count + d.firing, 0),
       severity = case when ${rank('d.severity')} < ${rank('i.severity')} then d.severity else i.severity end,
       alerts_resolved_at = case when ${drained} then coalesce(i.alerts_resolved_at, $2::timestamptz) else null end,
       state = case when ${drained} then 'resolved' when ${reopens} then 'open' else i.state end,
       resolved_at = case
         when ${drained} and i.state <> 'resolved' then $2::timestamptz
         when ${reopens} then null else i.resolved_at end,
       resolved_by = case
         when ${drained} and i.state <> 'resolved' then $3::jsonb
         when ${reopens} then null else i.resolved_by end,
       acknowledged_at = case when ${reopens} then null else i.acknowledged_at end,
       acknowledged_by = case when ${reopens} then null else i.acknowledged_by end,
       reopened_at = case when ${reopens} then $2::timestamptz else i.reopened_at end,
       reopen_count = case when ${reopens} then i.reopen_count + 1 else i.reopen_count end,
       updated_at = $2::timestamptz
     from d join incidents o on o.id = d.id
     where i.id = d.id
     returning i.id, o.state as old_state, i.state as new_state,
       (o.alerts_resolved_at is null and i.alerts_resolved_at is not null) as now_resolved`,
    [
      JSON.stringify([...deltas].map(([id, delta]) => ({ id, ...delta }))),
      at.toISOString(),
      JSON.stringify(storedActor(systemActor)),
    ],
  );
  return {
    alertsResolved: result.rows.filter((row) => row.now_resolved).map((row) => row.id),
    stateChanges: result.rows
      .filter((row) => row.old_state !== row.new_state)
      .map((row) => ({ id: row.id, from: row.old_state, to: row.new_state })),
  };
}
