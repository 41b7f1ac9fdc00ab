import type { SqlExecutor } from '@akmatori/host';
import { toPgArray } from '@akmatori/host';
import { resolveBudgets } from '../gateway/budget-settings.js';
import { GatewaySettingKeys } from '../gateway/gateway-settings.js';

/** The summary of an incident that was stored but not queued for investigation. */
export function queueFullSummary(cap: number): string {
  return (
    `Not investigated: its alert source already had ${cap} investigations waiting to start ` +
    '(max_queued_investigations_per_source in /api/settings/budgets). Start one by hand with ' +
    'POST /api/incidents/{id}/investigate.'
  );
}

/** The cap on queued investigations per alert source (null: none), read in `sql`'s transaction. */
export async function queueCap(sql: SqlExecutor): Promise<number | null> {
  const row = await sql<{ value: unknown }>('select value from settings where key = $1', [
    GatewaySettingKeys.budgets,
  ]);
  return resolveBudgets(row.rows[0]?.value).max_queued_investigations_per_source;
}

/**
 * Holds back the new incidents whose alert source already has as many investigations waiting
 * to start (incidents still `pending`) as the cap ({@link queueCap}), in the caller's transaction: they stay stored, are
 * marked `failed` with a summary that says why, and are returned so the caller does not
 * enqueue them. Incidents without a source are never held back. A storm of distinct groups
 * thus queues at most `cap` runs per source; the rest wait for an operator.
 *
 * @example
 * ```ts
 * const heldBack = await holdBackOverCap(sql, changes.incidents, now);
 * for (const incident of changes.incidents) if (!heldBack.has(incident.id)) await enqueue(incident);
 * ```
 */
export async function holdBackOverCap(
  sql: SqlExecutor,
  incidents: readonly { readonly id: string; readonly sourceId: string | null }[],
  at: Date,
): Promise<Set<string>> {
  const heldBack = new Set<string>();
  const sourced = incidents.filter((incident) => incident.sourceId !== null);
  if (sourced.length === 0) return heldBack;
  const cap = await queueCap(sql);
  if (cap === null) return heldBack;
  const sourceIds = [...new Set(sourced.map((incident) => incident.sourceId as string))];
  const waiting = await sql<{ source_id: string; waiting: number }>(
    `select source_id, count(*)::int as waiting from incidents
     where status = 'pending' and source_id = any($1::uuid[]) and not (id = any($2::uuid[]))
     group by source_id`,
    [toPgArray(sourceIds), toPgArray(sourced.map((incident) => incident.id))],
  );
  const queued = new Map(waiting.rows.map((row) => [row.source_id, Number(row.waiting)]));
  for (const incident of sourced) {
    const source = incident.sourceId as string;
    const count = queued.get(source) ?? 0;
    if (count >= cap) heldBack.add(incident.id);
    else queued.set(source, count + 1);
  }
  if (heldBack.size > 0)
    await sql(
      `update incidents set status = 'failed', summary = $2, updated_at = $3
       where id = any($1::uuid[]) and status = 'pending'`,
      [toPgArray([...heldBack]), queueFullSummary(cap), at.toISOString()],
    );
  return heldBack;
}
