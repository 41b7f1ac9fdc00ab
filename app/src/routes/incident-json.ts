import {
  alertSeverities,
  type IncidentActor,
  incidentStates,
  incidentStatuses,
} from '@akmatori/core';
import type { IncidentRecord } from '@akmatori/host';

/** Who changed an incident's state, as the API shows it. */
export const incidentActorSchema = {
  $id: 'IncidentActor',
  type: 'object',
  required: ['kind', 'user_id', 'name'],
  description:
    'Who changed the state: a user, an API token (acting for the user who created it) or `system` (all alerts resolved, an alert fired again)',
  properties: {
    kind: { type: 'string', enum: ['user', 'api_token', 'system'] },
    user_id: {
      type: ['string', 'null'],
      description: "The user's id (a token's creator); null for system",
    },
    name: { type: 'string', description: "The user's login name, the token's name, or system" },
  },
} as const;

const actorOrNull = { anyOf: [{ $ref: 'IncidentActor#' }, { type: 'null' }] } as const;

/** The `Incident` schema of the API. */
export const incidentSchema = {
  $id: 'Incident',
  type: 'object',
  required: [
    'uuid',
    'title',
    'state',
    'investigation_status',
    'status',
    'severity',
    'source_type',
    'alert_count',
    'firing_count',
    'created_at',
    'updated_at',
  ],
  properties: {
    uuid: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    state: {
      type: 'string',
      enum: [...incidentStates],
      description:
        "The incident's own state: open → acknowledged → resolved (by a person, or by system when all its alerts resolve); a resolved incident is reopened (open again) when one of its alerts fires again",
    },
    investigation_status: {
      type: 'string',
      enum: [...incidentStatuses],
      description:
        "The investigation's state: pending (queued) → investigating → completed | failed, or cancelled",
    },
    status: {
      type: 'string',
      enum: [...incidentStatuses],
      deprecated: true,
      description: "The investigation's state, as before `state` existed: use investigation_status",
    },
    severity: { type: 'string', enum: [...alertSeverities] },
    source_type: { type: 'string', description: 'Alert source type, or "manual"' },
    source_uuid: { type: ['string', 'null'] },
    group_key: { type: ['string', 'null'] },
    alert_count: { type: 'integer' },
    firing_count: { type: 'integer' },
    alerts_resolved: {
      type: 'boolean',
      description: 'True once every alert of the incident has resolved',
    },
    alerts_resolved_at: { type: ['string', 'null'], format: 'date-time' },
    acknowledged_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'When it was acknowledged; cleared when it is reopened',
    },
    acknowledged_by: actorOrNull,
    resolved_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'When it was resolved; cleared when it is reopened',
    },
    resolved_by: actorOrNull,
    reopened_at: { type: ['string', 'null'], format: 'date-time' },
    reopen_count: { type: 'integer', description: 'How many times it was reopened' },
    investigate_after: { type: 'string', format: 'date-time' },
    task: { type: ['string', 'null'] },
    context: { type: ['object', 'null'], additionalProperties: true },
    test: {
      type: 'boolean',
      description:
        'Opened by POST /api/alert-sources/{uuid}/test: a test, investigated only when that asked for it',
    },
    summary: { type: ['string', 'null'] },
    skills: {
      type: ['array', 'null'],
      items: { type: 'string' },
      description:
        "Skills a person named for a manual incident; null: none named (a manual incident then gets every enabled skill, an alert-triggered one its source's skills and matching selectors)",
    },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

const actorJson = (actor: IncidentActor | null): Record<string, unknown> | null =>
  actor === null ? null : { kind: actor.kind, user_id: actor.userId, name: actor.name };

/** An incident as the API shows it (the `Incident` schema). */
export function incidentJson(incident: IncidentRecord): Record<string, unknown> {
  return {
    uuid: incident.id,
    title: incident.title,
    state: incident.state,
    investigation_status: incident.status,
    status: incident.status,
    severity: incident.severity,
    source_type: incident.sourceType,
    source_uuid: incident.sourceId,
    group_key: incident.groupKey,
    alert_count: incident.alertCount,
    firing_count: incident.firingCount,
    alerts_resolved: incident.alertsResolvedAt !== null,
    alerts_resolved_at: iso(incident.alertsResolvedAt),
    acknowledged_at: iso(incident.acknowledgedAt),
    acknowledged_by: actorJson(incident.acknowledgedBy),
    resolved_at: iso(incident.resolvedAt),
    resolved_by: actorJson(incident.resolvedBy),
    reopened_at: iso(incident.reopenedAt),
    reopen_count: incident.reopenCount,
    investigate_after: incident.investigateAfter.toISOString(),
    task: incident.task,
    context: incident.context,
    test: incident.context?.test === true,
    summary: incident.summary,
    skills: incident.skills ?? null,
    created_at: incident.createdAt.toISOString(),
    updated_at: incident.updatedAt.toISOString(),
  };
}
