/**
 * Reading a Datadog webhook, whatever payload template the webhook uses.
 */
import {
  fingerprintOf,
  normalizeSeverity,
  payloadError,
  text,
  type AlertSeverity,
  type AlertSourceContext,
  type AlertStatus,
  type NormalizedAlert,
  type WebhookRequest,
} from '@akmatori/core';
import { alertTimes } from '../shared/alert-times.js';
import {
  asObject,
  bodyObject,
  defined,
  definedStrings,
  firstText,
  firstTimestamp,
} from '../shared/payload.js';
import { datadogTags } from './tags.js';
import { parseDatadogTitle, type DatadogTitle } from './title.js';

/**
 * Reads one Datadog notification. Field names follow the webhook variables (`$ALERT_ID` as
 * `alert_id`...) and the names common templates use for them (`monitor_id`, `scopes`, `url`,
 * `event_msg`...); only a title is required.
 *
 * - status: `alert_transition` `Recovered` (any form) resolves, other transitions fire; without
 *   a transition, `alert_type: success` or a `[Recovered]` title resolves.
 * - severity: the monitor priority `P1`..`P5` (`alert_priority`, or `severity`/`priority` when
 *   they hold one, or the title's `[P2]`), else `alert_type` (error → high, warning → warning,
 *   info and success → info).
 * - fingerprint: `alert_cycle_key`, else `aggreg_key`, else monitor id + scope, else monitor
 *   name + scope, so a trigger and its recovery match.
 * - group key: the monitor id, so every group of a multi-alert monitor joins one incident.
 *
 * @example
 * ```ts
 * const [alert] = parseDatadogWebhook(request, context);
 * ```
 */
export function parseDatadogWebhook(
  request: WebhookRequest,
  context: AlertSourceContext<unknown>,
): NormalizedAlert[] {
  const body = bodyObject(request.body);
  const title = firstText(body.title, body.event_title);
  const parsed: DatadogTitle = title === undefined ? {} : parseDatadogTitle(title);
  const name = firstText(body.alert_title, body.monitor_name, parsed.monitorName, title);
  if (name === undefined) {
    throw payloadError(
      'the payload has no title: include "title": "$EVENT_TITLE" (Datadog\'s default payload does)',
    );
  }
  const transition = firstText(body.alert_transition, parsed.transition);
  const alertType = text(body.alert_type)?.toLowerCase();
  const status = statusOf(transition, alertType);
  const monitorId = firstText(body.alert_id, body.monitor_id);
  const scope = firstText(body.alert_scope, body.scopes, body.scope, parsed.scope);
  const labels = { ...datadogTags(body.tags), ...datadogTags(scope) };
  const org = asObject(body.org);
  const eventAt = firstTimestamp(body.date, body.last_updated);
  return [
    defined({
      name,
      status,
      ...severityOf(
        [body.alert_priority, body.severity, body.priority, parsed.priority],
        alertType,
      ),
      fingerprint:
        firstText(body.alert_cycle_key, body.aggreg_key) ??
        fingerprintOf(
          monitorId === undefined
            ? ['datadog', name, scope]
            : ['datadog-monitor', monitorId, scope],
        ),
      groupKey: monitorId === undefined ? undefined : `monitor:${monitorId}`,
      host: firstText(body.hostname, body.host, labels.host),
      service: firstText(labels.service, body.service),
      summary: title ?? name,
      description: messageText(
        firstText(body.body, body.event_msg, body.message, body.text_only_msg),
      ),
      runbookUrl: firstText(body.runbook_url, runbookLink(body.event_links)),
      sourceUrl: firstText(body.link, body.url, body.event_url, body.alert_url),
      ...alertTimes(status, context.receivedAt, { eventAt }),
      labels,
      annotations: definedStrings({
        alert_status: text(body.alert_status),
        alert_query: text(body.alert_query),
        alert_metric: text(body.alert_metric),
      }),
      extra: defined({
        eventId: text(body.id),
        monitorId,
        transition,
        alertType,
        eventType: text(body.event_type),
        scope,
        cycleKey: text(body.alert_cycle_key),
        aggregationKey: text(body.aggreg_key),
        orgId: firstText(org?.id, body.org_id),
        orgName: firstText(org?.name, body.org_name),
        snapshot: text(body.snapshot),
      }),
    }),
  ];
}

/** `Recovered` in any form resolves; so does `alert_type: success` when no transition is sent. */
function statusOf(transition: string | undefined, alertType: string | undefined): AlertStatus {
  if (transition === undefined) return alertType === 'success' ? 'resolved' : 'firing';
  return /recover|resolve|^ok$/i.test(transition) ? 'resolved' : 'firing';
}

const alertTypeSeverity: Readonly<Record<string, AlertSeverity>> = Object.freeze({
  error: 'high',
  warning: 'warning',
  info: 'info',
  success: 'info',
});

/** The first monitor priority `P1`..`P5` among the candidates, else the alert type. */
function severityOf(
  candidates: readonly unknown[],
  alertType: string | undefined,
): { severity: AlertSeverity; rawSeverity?: string } {
  const priority = candidates
    .map((value) => text(value))
    .find((value) => value !== undefined && /^P[1-5]$/i.test(value));
  if (priority !== undefined) return normalizeSeverity(priority.toUpperCase());
  const byType = alertType === undefined ? undefined : alertTypeSeverity[alertType];
  return byType === undefined
    ? normalizeSeverity(alertType)
    : { severity: byType, rawSeverity: alertType };
}

/** Datadog wraps markdown messages in `%%%` fences; the text is what is inside. */
function messageText(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  return text(message.replace(/^%%%\s*/, '').replace(/\s*%%%$/, ''));
}

function runbookLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  for (const entry of links) {
    const link = asObject(entry);
    if (
      link !== undefined &&
      /runbook/i.test(`${text(link.name) ?? ''} ${text(link.title) ?? ''}`)
    ) {
      const url = text(link.url);
      if (url !== undefined) return url;
    }
  }
  return undefined;
}
