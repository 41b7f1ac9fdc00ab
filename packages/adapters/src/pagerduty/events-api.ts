/**
 * PagerDuty Events API requests, as Alertmanager's `pagerduty_configs` and any other Events
 * API sender POST them: v2 (`routing_key`, `event_action`, `dedup_key`, `payload`) and the
 * legacy v1 (`service_key`, `event_type`, `incident_key`, `description`, `details`).
 */
import {
  fingerprintOf,
  normalizeSeverity,
  payloadError,
  text,
  toStringRecord,
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
  optionalObject,
  type JsonObject,
} from '../shared/payload.js';
import { withoutStatusPrefix } from '../shared/subject.js';

const actions: Readonly<Record<string, AlertStatus>> = Object.freeze({
  trigger: 'firing',
  acknowledge: 'firing',
  resolve: 'resolved',
});

/**
 * True for an Events API request: a v2 `event_action` or `routing_key`, or a v1 `service_key`
 * or `event_type`.
 *
 * @example
 * ```ts
 * isEventsApiRequest({ routing_key: 'k', event_action: 'trigger' }); // true
 * ```
 */
export function isEventsApiRequest(body: JsonObject): boolean {
  return ['event_action', 'routing_key', 'service_key', 'event_type'].some(
    (field) => body[field] !== undefined,
  );
}

/**
 * Reads an Events API request into one alert. `trigger` fires, `acknowledge` stays firing
 * (with `extra.acknowledged`), `resolve` resolves. The fingerprint and group key are the
 * `dedup_key` (v1: `incident_key`); a trigger without one gets a fingerprint derived from the
 * routing key, summary and source, as PagerDuty would open a new alert for it anyway. The
 * name is the summary without Alertmanager's `[FIRING:n]` prefix. `payload.source` is the
 * host unless it just repeats `client` (Alertmanager's default source is its own name).
 * The routing key is never copied into the alert: it may be the webhook secret.
 *
 * @example
 * ```ts
 * parseEventsApiRequest({ routing_key: 'k', event_action: 'resolve', dedup_key: 'd' }, new Date());
 * ```
 */
export function parseEventsApiRequest(body: JsonObject, receivedAt: Date): NormalizedAlert {
  const v1 = text(body.event_action) === undefined && text(body.routing_key) === undefined;
  const action = (v1 ? text(body.event_type) : text(body.event_action))?.toLowerCase();
  const actionField = v1 ? 'event_type' : 'event_action';
  const status = action === undefined ? undefined : actions[action];
  if (action === undefined || status === undefined) {
    throw payloadError(`${actionField} must be "trigger", "acknowledge" or "resolve"`);
  }
  const payload = v1 ? undefined : optionalObject(body.payload, 'payload');
  const summary = v1 ? text(body.description) : text(payload?.summary);
  const source = text(payload?.source);
  const client = text(body.client);
  const dedupKey = v1 ? text(body.incident_key) : text(body.dedup_key);
  if (dedupKey === undefined && action !== 'trigger') {
    throw payloadError(`${v1 ? 'incident_key' : 'dedup_key'} is required to ${action}`);
  }
  if (summary === undefined && action === 'trigger') {
    throw payloadError(`${v1 ? 'description' : 'payload.summary'} is required to trigger`);
  }
  const details = v1 ? body.details : payload?.custom_details;
  const links = linkList(body.links);
  return defined({
    name: firstText(withoutStatusPrefix(summary), payload?.class) ?? `PagerDuty alert ${dedupKey}`,
    status,
    ...normalizeSeverity(payload?.severity),
    fingerprint:
      dedupKey ??
      fingerprintOf([text(body.routing_key) ?? text(body.service_key), summary, source]),
    groupKey: dedupKey,
    host: source !== undefined && source !== client ? source : undefined,
    service: firstText(payload?.component, payload?.group),
    summary: withoutStatusPrefix(summary),
    runbookUrl: links.find((link) => /runbook/i.test(`${link.text ?? ''} ${link.href}`))?.href,
    sourceUrl: firstText(body.client_url, links[0]?.href),
    ...alertTimes(status, receivedAt, { startsAt: firstTimestamp(payload?.timestamp) }),
    labels: definedStrings({
      source,
      component: text(payload?.component),
      group: text(payload?.group),
      class: text(payload?.class),
    }),
    annotations: detailsRecord(details),
    extra: defined({
      eventsApi: v1 ? 'v1' : 'v2',
      action,
      acknowledged: action === 'acknowledge' ? true : undefined,
      dedupKey,
      client,
      clientUrl: text(body.client_url),
      links: links.length === 0 ? undefined : links,
      images: Array.isArray(body.images) && body.images.length > 0 ? body.images : undefined,
    }),
  });
}

/** `custom_details` (v2) or `details` (v1) as strings: an object's fields, or the text itself. */
function detailsRecord(details: unknown): Record<string, string> {
  if (asObject(details) !== undefined) return toStringRecord(details);
  const single = text(details);
  if (single !== undefined) return { details: single };
  if (details !== undefined && details !== null) {
    throw payloadError(`custom_details must be an object, got ${jsonKind(details)}`);
  }
  return {};
}

function linkList(links: unknown): { href: string; text?: string }[] {
  if (!Array.isArray(links)) return [];
  return links.flatMap((entry) => {
    const link = asObject(entry);
    const href = text(link?.href);
    return href === undefined ? [] : [defined({ href, text: text(link?.text) })];
  });
}
