import type { AlertSeverity, IncidentActor, IncidentState, IncidentStatus } from '@akmatori/core';

/** An incident: a group of alerts (or a manual task), its own state and its investigation. */
export interface IncidentRecord {
  id: string;
  title: string;
  /** The investigation's state. */
  status: IncidentStatus;
  /** The incident's own state: open, acknowledged or resolved. */
  state: IncidentState;
  severity: AlertSeverity;
  sourceId: string | null;
  sourceType: string;
  groupKey: string | null;
  task: string | null;
  context: Record<string, unknown> | null;
  alertCount: number;
  firingCount: number;
  investigateAfter: Date;
  alertsResolvedAt: Date | null;
  /** When it was last acknowledged and by whom (cleared when it is reopened). */
  acknowledgedAt: Date | null;
  acknowledgedBy: IncidentActor | null;
  /** When it was resolved and by whom (cleared when it is reopened). */
  resolvedAt: Date | null;
  resolvedBy: IncidentActor | null;
  /** When it was last reopened, and how many times. */
  reopenedAt: Date | null;
  reopenCount: number;
  summary: string | null;
  /** Skills a person named for a manual incident; null (or absent): none named. */
  skills?: readonly string[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An actor as stored in `acknowledged_by` / `resolved_by`. */
export interface StoredActor {
  kind: IncidentActor['kind'];
  user_id: string | null;
  name: string;
}

/** A row of `incidents`. */
export interface IncidentRow {
  id: string;
  title: string;
  status: IncidentStatus;
  state: IncidentState;
  severity: AlertSeverity;
  source_id: string | null;
  source_type: string;
  group_key: string | null;
  task: string | null;
  context: Record<string, unknown> | null;
  alert_count: number;
  firing_count: number;
  investigate_after: Date;
  alerts_resolved_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: StoredActor | null;
  resolved_at: Date | null;
  resolved_by: StoredActor | null;
  reopened_at: Date | null;
  reopen_count: number;
  summary: string | null;
  skills?: string[] | null;
  created_at: Date;
  updated_at: Date;
}

/** The actor Akmatori itself records for automatic state changes. */
export const systemActor: IncidentActor = Object.freeze({
  kind: 'system',
  userId: null,
  name: 'system',
});

/** An actor as stored. */
export const storedActor = (actor: IncidentActor): StoredActor => ({
  kind: actor.kind,
  user_id: actor.userId,
  name: actor.name,
});

const actorOf = (stored: StoredActor | null): IncidentActor | null =>
  stored === null ? null : { kind: stored.kind, userId: stored.user_id, name: stored.name };

/** A row as a record. */
export const toIncidentRecord = (row: IncidentRow): IncidentRecord => ({
  id: row.id,
  title: row.title,
  status: row.status,
  state: row.state,
  severity: row.severity,
  sourceId: row.source_id,
  sourceType: row.source_type,
  groupKey: row.group_key,
  task: row.task,
  context: row.context,
  alertCount: row.alert_count,
  firingCount: row.firing_count,
  investigateAfter: row.investigate_after,
  alertsResolvedAt: row.alerts_resolved_at,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedBy: actorOf(row.acknowledged_by),
  resolvedAt: row.resolved_at,
  resolvedBy: actorOf(row.resolved_by),
  reopenedAt: row.reopened_at,
  reopenCount: row.reopen_count,
  summary: row.summary,
  skills: row.skills ?? null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
