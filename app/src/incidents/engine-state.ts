import {
  type AlertEventRecord,
  type Repositories,
  type SqlExecutor,
  toPgArray,
} from '@akmatori/host';
import { alertKey, openIncidentKey, type EngineState } from './apply-alert-events.js';

/**
 * What the incident engine must know before it applies a batch of alert events, read in the
 * batch's transaction: the latest alert of each fingerprint, the incident each group's new
 * alerts join (one with an alert firing, or one whose alerts all resolved after `reopenAfter`,
 * which they reopen), and each source's type and grouping window.
 *
 * @example
 * ```ts
 * const state = await loadEngineState(sql, repositories, events, new Date(now.getTime() - REOPEN_WINDOW_MS));
 * ```
 */
export async function loadEngineState(
  sql: SqlExecutor,
  repositories: Pick<Repositories, 'alerts' | 'incidents'>,
  events: readonly AlertEventRecord[],
  reopenAfter: Date,
): Promise<EngineState> {
  const alertKeys = new Map<string, { sourceId: string; fingerprint: string }>();
  const groups = new Map<string, { sourceId: string; groupKey: string }>();
  const sourceIds = new Set<string>();
  for (const event of events) {
    alertKeys.set(alertKey(event.sourceId, event.alert.fingerprint), {
      sourceId: event.sourceId,
      fingerprint: event.alert.fingerprint,
    });
    groups.set(openIncidentKey(event.sourceId, event.alert.groupKey), {
      sourceId: event.sourceId,
      groupKey: event.alert.groupKey,
    });
    sourceIds.add(event.sourceId);
  }
  const [latest, open, sources] = [
    await repositories.alerts.latestFor(sql, [...alertKeys.values()]),
    await repositories.incidents.openForGroups(sql, [...groups.values()], reopenAfter),
    await sql<{ id: string; source_type: string; grouping_window_seconds: number }>(
      'select id, source_type, grouping_window_seconds from alert_sources where id = any($1::uuid[])',
      [toPgArray([...sourceIds])],
    ),
  ];
  return {
    latest: new Map(latest.map((alert) => [alertKey(alert.sourceId, alert.fingerprint), alert])),
    openIncidents: new Map(
      open.map((incident) => [openIncidentKey(incident.sourceId, incident.groupKey), incident.id]),
    ),
    sources: new Map(
      sources.rows.map((row) => [
        row.id,
        { sourceType: row.source_type, groupingWindowSeconds: row.grouping_window_seconds },
      ]),
    ),
  };
}
