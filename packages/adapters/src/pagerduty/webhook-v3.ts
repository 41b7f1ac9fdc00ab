/**
 * PagerDuty v3 webhooks: `{ event: { event_type, resource_type, occurred_at, data } }`, one
 * incident event per request.
 */
import {
  getPath,
  normalizeSeverity,
  payloadError,
  text,
  type AlertSeverity,
  type AlertStatus,
  type NormalizedAlert,
} from '@akmatori/core';
import { alertTimes } from '../shared/alert-times.js';
import {
  asObject,
  defined,
  definedStrings,
  firstText,
  firstTimestamp,
  jsonKind,
  type JsonObject,
} from '../shared/payload.js';

/** Event types that say outright whether the incident is open. */
const statusOfEventType: Readonly<Record<string, AlertStatus>> = Object.freeze({
  'incident.triggered': 'firing',
  'incident.reopened': 'firing',
  'incident.unacknowledged': 'firing',
  'incident.resolved': 'resolved',
});

/**
 * Reads a v3 webhook. Incident events give one alert identified by the incident id; other
 * events (`pagey.ping` when a subscription is created, `service.*`) give none. The status is
 * resolved for `incident.resolved`, firing for triggered, reopened and unacknowledged; for
 * every other event type (acknowledged, priority_updated, escalated, annotated...) it follows
 * the incident's own `status`, and is firing when the event does not carry it. An
 * acknowledged incident is still firing, with `extra.acknowledged` true.
 *
 * @example
 * ```ts
 * parseWebhookV3({ event: { event_type: 'incident.triggered', data: { id: 'P1', title: 'Down' } } }, new Date());
 * ```
 */
export function parseWebhookV3(body: JsonObject, receivedAt: Date): NormalizedAlert[] {
  const event = asObject(body.event);
  if (event === undefined) {
    throw payloadError(`event must be an object, got ${jsonKind(body.event)}`);
  }
  const eventType = text(event.event_type);
  if (eventType === undefined) throw payloadError('event.event_type must be a non-empty string');
  const resourceType = text(event.resource_type);
  if (!eventType.startsWith('incident.') || (resourceType ?? 'incident') !== 'incident') return [];

  const data = asObject(event.data);
  if (data === undefined) {
    throw payloadError(`event.data must be an object, got ${jsonKind(event.data)}`);
  }
  // Incident events carry the incident; note, responder and status-update events a reference to it.
  const reference = asObject(data.incident);
  const incident = reference ?? data;
  const incidentId = text(incident.id);
  if (incidentId === undefined) {
    throw payloadError(
      `event.data has no incident id (${reference ? 'data.incident.id' : 'data.id'})`,
    );
  }

  const incidentStatus = reference === undefined ? text(data.status) : undefined;
  const status =
    statusOfEventType[eventType] ?? (incidentStatus === 'resolved' ? 'resolved' : 'firing');
  const service = asObject(data.service);
  const priority = firstText(asObject(data.priority)?.summary, data.priority);
  const name =
    firstText(data.title, reference?.summary, data.summary) ?? `PagerDuty incident ${incidentId}`;
  return [
    defined({
      name,
      status,
      ...incidentSeverity(priority, text(data.urgency)),
      fingerprint: incidentId,
      groupKey: incidentId,
      host: text(data.source),
      service: firstText(service?.summary, service?.name),
      summary: name,
      description: firstText(data.description, data.content, data.message),
      runbookUrl: firstText(
        getPath(data, 'body.details.runbook_url'),
        getPath(data, 'body.details.runbook'),
      ),
      sourceUrl: firstText(data.html_url, reference?.html_url),
      ...alertTimes(status, receivedAt, {
        startsAt: firstTimestamp(data.created_at),
        eventAt: firstTimestamp(event.occurred_at),
      }),
      labels: definedStrings({
        incident_status: incidentStatus,
        urgency: text(data.urgency),
        priority,
        service: firstText(service?.summary, service?.name),
      }),
      annotations: {},
      extra: defined({
        eventType,
        eventId: text(event.id),
        incidentId,
        incidentNumber: text(data.number),
        acknowledged: acknowledged(eventType, incidentStatus),
        serviceId: text(service?.id),
        serviceUrl: text(service?.html_url),
        agent: text(asObject(event.agent)?.summary),
        assignees: summaries(data.assignees),
        escalationPolicy: text(asObject(data.escalation_policy)?.summary),
        teams: summaries(data.teams),
        resolveReason: text(data.resolve_reason),
      }),
      payloadItem: data,
    }),
  ];
}

/**
 * Severity from the incident priority (`P1`..`P5`, possibly followed by a label as in
 * `P1 - Critical`), else from its urgency (`high` → high, `low` → info).
 */
function incidentSeverity(
  priority: string | undefined,
  urgency: string | undefined,
): { severity: AlertSeverity; rawSeverity?: string } {
  const level = /^P([1-5])\b/i.exec(priority ?? '');
  if (level !== null && priority !== undefined) {
    return { severity: normalizeSeverity(`P${level[1]}`).severity, rawSeverity: priority };
  }
  return normalizeSeverity(urgency);
}

function acknowledged(eventType: string, incidentStatus: string | undefined): boolean | undefined {
  if (eventType === 'incident.acknowledged') return true;
  if (incidentStatus === undefined) return undefined;
  return incidentStatus === 'acknowledged';
}

function summaries(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const names = list.map((entry) => text(asObject(entry)?.summary)).filter((n) => n !== undefined);
  return names.length === 0 ? undefined : names;
}
