import { randomUUID } from 'node:crypto';
import { alertSeverities } from '@akmatori/core';
import type { AlertSeverity } from '@akmatori/core';
import type {
  AlertEventRecord,
  AlertRecord,
  NewAlert,
  NewIncident,
  ReceivedAlert,
} from '@akmatori/host';

/** What the engine knows before applying a batch. */
export interface EngineState {
  /** The latest alert per `sourceId \0 fingerprint`. */
  readonly latest: Map<string, AlertRecord | NewAlertDraft>;
  /** The open incident per `sourceId \0 groupKey`. */
  readonly openIncidents: Map<string, string>;
  /** Per source: its type and grouping window. */
  readonly sources: ReadonlyMap<string, { sourceType: string; groupingWindowSeconds: number }>;
}

/** An alert created by this batch (no id yet). */
export interface NewAlertDraft extends NewAlert {
  readonly draft: true;
}

/** How a batch changes one incident's counters. */
export interface CounterDelta {
  /** Alerts added to the incident. */
  added: number;
  /** Change in firing alerts (new firing ones minus resolved ones). */
  firing: number;
  /** The most urgent severity seen in this batch. */
  severity: AlertSeverity | null;
}

/** The changes a batch makes. */
export interface EngineChanges {
  /** Alerts to insert, in order. */
  readonly created: NewAlertDraft[];
  /** Existing alerts that changed. */
  readonly updated: AlertRecord[];
  /** Incidents to insert. */
  readonly incidents: NewIncident[];
  /** Counter changes per incident. */
  readonly counters: Map<string, CounterDelta>;
  /** Events that repeated what was already known (same firing alert again, late or repeated resolution). */
  duplicates: number;
}

export const alertKey = (sourceId: string, fingerprint: string): string =>
  `${sourceId}\u0000${fingerprint}`;
export const openIncidentKey = (sourceId: string, groupKey: string): string =>
  `${sourceId}\u0000${groupKey}`;

const date = (value: string | undefined): Date | null =>
  value === undefined ? null : new Date(value);

/**
 * Applies received alerts, in arrival order, to the current alerts and open incidents:
 *
 * - a firing alert whose (source, fingerprint) is already firing is a repeat: its count and
 *   last-seen time go up, its details are refreshed, nothing new is created;
 * - a firing alert that started before its fingerprint's last resolution ended is a late
 *   duplicate of that resolved occurrence and is ignored;
 * - any other firing alert is a new occurrence: a new alert row, placed in the open incident of
 *   its group, or in a new incident that waits its source's grouping window before investigation;
 * - a resolved alert ends the firing one, whatever times it carries (senders such as
 *   Alertmanager report the state of a fingerprint, and may date a resolution before the
 *   start it resolves); with none firing it is
 *   either a repeat (already resolved) or arrived before its firing (stored as resolved, without
 *   an incident, so the late firing is then recognised as stale).
 *
 * Pure: mutates only `state` and the returned changes.
 */
export function applyAlertEvents(
  events: readonly AlertEventRecord[],
  state: EngineState,
  now: Date,
): EngineChanges {
  const changes: EngineChanges = {
    created: [],
    updated: [],
    incidents: [],
    counters: new Map(),
    duplicates: 0,
  };
  const count = (
    incidentId: string | null,
    change: { added?: number; firing?: number; severity?: AlertSeverity },
  ): void => {
    if (incidentId === null) return;
    const delta = changes.counters.get(incidentId) ?? { added: 0, firing: 0, severity: null };
    delta.added += change.added ?? 0;
    delta.firing += change.firing ?? 0;
    if (
      change.severity !== undefined &&
      (delta.severity === null || moreUrgent(change.severity, delta.severity))
    ) {
      delta.severity = change.severity;
    }
    changes.counters.set(incidentId, delta);
  };
  const updated = new Set<AlertRecord>();

  for (const event of events) {
    const alert = event.alert;
    const key = alertKey(event.sourceId, alert.fingerprint);
    const current = state.latest.get(key);
    const startsAt = date(alert.startsAt);

    if (alert.status === 'firing') {
      if (current?.status === 'firing') {
        refresh(current, alert, event.receivedAt);
        current.count += 1;
        markChanged(current);
        count(current.incidentId, { severity: alert.severity });
        continue;
      }
      if (
        current?.status === 'resolved' &&
        current.endsAt !== null &&
        startsAt !== null &&
        startsAt <= current.endsAt
      ) {
        changes.duplicates += 1;
        continue;
      }
      const incidentId = incidentFor(event, alert, state, changes, now);
      const created = newAlert(event, alert, incidentId);
      changes.created.push(created);
      count(incidentId, { added: 1, firing: 1, severity: alert.severity });
      state.latest.set(key, created);
      continue;
    }

    // resolved
    const endsAt = date(alert.endsAt) ?? event.receivedAt;
    if (current?.status === 'firing') {
      refresh(current, alert, event.receivedAt);
      current.status = 'resolved';
      current.endsAt = endsAt;
      markChanged(current);
      count(current.incidentId, { firing: -1 });
      continue;
    }
    if (current?.status === 'resolved') {
      changes.duplicates += 1;
      if (current.endsAt === null || endsAt > current.endsAt) {
        current.endsAt = endsAt;
        markChanged(current);
      }
      continue;
    }
    const early = newAlert(event, alert, null);
    early.endsAt = endsAt;
    changes.created.push(early);
    state.latest.set(key, early);
  }
  return changes;

  function markChanged(alert: AlertRecord | NewAlertDraft): void {
    if ('draft' in alert) return;
    if (!updated.has(alert)) {
      updated.add(alert);
      changes.updated.push(alert);
    }
  }
}

function incidentFor(
  event: AlertEventRecord,
  alert: ReceivedAlert,
  state: EngineState,
  changes: EngineChanges,
  now: Date,
): string {
  const key = openIncidentKey(event.sourceId, alert.groupKey);
  const open = state.openIncidents.get(key);
  if (open !== undefined) return open;
  const source = state.sources.get(event.sourceId);
  const id = randomUUID();
  changes.incidents.push({
    id,
    title: alert.summary ?? alert.name,
    severity: alert.severity,
    sourceId: event.sourceId,
    sourceType: source?.sourceType ?? 'unknown',
    groupKey: alert.groupKey,
    task: null,
    context: alert.test === undefined ? null : { test: true, investigate: alert.test.investigate },
    investigateAfter: new Date(now.getTime() + (source?.groupingWindowSeconds ?? 30) * 1000),
    createdAt: now,
  });
  state.openIncidents.set(key, id);
  return id;
}

function newAlert(
  event: AlertEventRecord,
  alert: ReceivedAlert,
  incidentId: string | null,
): NewAlertDraft {
  return {
    draft: true,
    sourceId: event.sourceId,
    incidentId,
    fingerprint: alert.fingerprint,
    status: alert.status,
    name: alert.name,
    severity: alert.severity,
    rawSeverity: alert.rawSeverity ?? null,
    host: alert.host ?? null,
    service: alert.service ?? null,
    summary: alert.summary ?? null,
    description: alert.description ?? null,
    runbookUrl: alert.runbookUrl ?? null,
    sourceUrl: alert.sourceUrl ?? null,
    groupKey: alert.groupKey,
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    extra: { ...alert.extra },
    startsAt: date(alert.startsAt) ?? event.receivedAt,
    endsAt: null,
    firstSeenAt: event.receivedAt,
    lastSeenAt: event.receivedAt,
    count: 1,
  };
}

/** Takes the newest details of a repeated alert (the event is the latest seen). */
function refresh(
  current: AlertRecord | NewAlertDraft,
  alert: ReceivedAlert,
  receivedAt: Date,
): void {
  if (receivedAt < current.lastSeenAt) return;
  current.lastSeenAt = receivedAt;
  current.name = alert.name;
  current.severity = alert.severity;
  current.rawSeverity = alert.rawSeverity ?? current.rawSeverity;
  current.host = alert.host ?? current.host;
  current.service = alert.service ?? current.service;
  current.summary = alert.summary ?? current.summary;
  current.description = alert.description ?? current.description;
  current.runbookUrl = alert.runbookUrl ?? current.runbookUrl;
  current.sourceUrl = alert.sourceUrl ?? current.sourceUrl;
  current.labels = { ...alert.labels };
  current.annotations = { ...alert.annotations };
  current.extra = { ...alert.extra };
}

/** True when `a` is more urgent than `b`. */
function moreUrgent(a: AlertSeverity, b: AlertSeverity): boolean {
  return alertSeverities.indexOf(a) < alertSeverities.indexOf(b);
}
