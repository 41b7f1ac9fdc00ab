/**
 * Reading a Zabbix notification: the fields Akmatori's Zabbix media type sends, and the
 * Zulip media type's (`hostname`, `severity`, `status`, `item`, `trigger`, `link`).
 */
import {
  defineSchema,
  fingerprintOf,
  normalizeStatus,
  payloadError,
  type AlertSourceContext,
  type AlertStatus,
  type NormalizedAlert,
  type SchemaValue,
  type WebhookRequest,
} from '@akmatori/core';
import { alertTimes } from '../shared/alert-times.js';
import { bodyObject, defined, definedStrings, type JsonObject } from '../shared/payload.js';
import {
  firstZabbixText,
  triggerIdFromLink,
  zabbixSeverity,
  zabbixTags,
  zabbixText,
  zabbixTime,
} from './fields.js';

/** Schema of a Zabbix source's settings, for the dashboard's form and the host's validation. */
export const zabbixConfigSchema = defineSchema({
  type: 'object',
  additionalProperties: false,
  properties: {
    time_zone: {
      type: 'string',
      format: 'time-zone',
      default: 'UTC',
      title: 'Zabbix server time zone',
      description:
        'IANA time zone of the Zabbix server (e.g. Europe/Berlin). Zabbix sends event times in its local time without a zone.',
    },
  },
});

/** A Zabbix source's settings, as {@link zabbixConfigSchema} says: an optional `time_zone` (default UTC). */
export type ZabbixConfig = SchemaValue<typeof zabbixConfigSchema>;

/**
 * Reads one Zabbix notification. Unexpanded macros count as absent. Required: a name
 * (`alert_name`, or `trigger_name`, `trigger`, `event_name`).
 *
 * - status: `event_status` (or `status`) PROBLEM fires, RESOLVED/OK resolves; without one, a
 *   recovery (`event_value` 0, a `recovery_event_id` field or a recovery time) resolves.
 * - fingerprint: `event_id`, the problem's event id, which Akmatori's media type sends in both
 *   the problem and its recovery; else the trigger id (`trigger_id` or the link's
 *   `triggerid`) with the host; else host and name.
 * - times: `event_time` starts the alert, `event_recovery_time` ends it, both read in the
 *   source's `time_zone` (default UTC), since Zabbix sends its local time without a zone.
 *
 * @example
 * ```ts
 * const [alert] = parseZabbixNotification(request, context);
 * ```
 */
export function parseZabbixNotification(
  request: WebhookRequest,
  context: AlertSourceContext<ZabbixConfig>,
): NormalizedAlert[] {
  const timeZone = context.config?.time_zone ?? 'UTC';
  const body = bodyObject(request.body);
  const name = firstZabbixText(body.alert_name, body.trigger_name, body.trigger, body.event_name);
  if (name === undefined) {
    throw payloadError('alert_name is missing (send the trigger name, e.g. {EVENT.NAME})');
  }
  const host = firstZabbixText(body.hardware, body.host_name, body.hostname, body.host);
  const link = firstZabbixText(body.link, body.event_url, body.zabbix_url);
  const eventId = zabbixText(body.event_id);
  const triggerId = firstZabbixText(body.trigger_id) ?? triggerIdFromLink(link);
  const status = statusOf(body);
  const labels = zabbixTags(body.event_tags);
  return [
    defined({
      name,
      status,
      ...zabbixSeverity(
        firstZabbixText(body.priority, body.trigger_nseverity),
        firstZabbixText(body.severity, body.trigger_severity),
      ),
      fingerprint:
        eventId ??
        (triggerId === undefined
          ? fingerprintOf(['zabbix', host, name])
          : fingerprintOf(['zabbix-trigger', host, triggerId])),
      host,
      service: firstZabbixText(body.service, labels.service),
      summary: name,
      description: firstZabbixText(body.description, body.trigger_description, body.message),
      runbookUrl: firstZabbixText(body.runbook_url, body.trigger_url),
      sourceUrl: link,
      ...alertTimes(status, context.receivedAt, {
        startsAt: zabbixTime(zabbixText(body.event_time), zabbixText(body.event_date), timeZone),
        endsAt: zabbixTime(
          zabbixText(body.event_recovery_time),
          zabbixText(body.event_recovery_date),
          timeZone,
        ),
      }),
      labels,
      annotations: definedStrings({
        trigger_expression: zabbixText(body.trigger_expression),
        metric_name: zabbixText(body.metric_name),
        metric_value: zabbixText(body.metric_value),
        item: zabbixText(body.item),
        pending_duration: zabbixText(body.pending_duration),
      }),
      extra: defined({
        eventId,
        recoveryEventId: zabbixText(body.recovery_event_id),
        triggerId,
        priority: zabbixText(body.priority),
      }),
    }),
  ];
}

function statusOf(body: JsonObject): AlertStatus {
  const word = normalizeStatus(firstZabbixText(body.event_status, body.status));
  if (word !== undefined) return word;
  const value = zabbixText(body.event_value);
  if (value === '0') return 'resolved';
  if (value === '1') return 'firing';
  const recovered =
    body.recovery_event_id !== undefined || zabbixText(body.event_recovery_time) !== undefined;
  return recovered ? 'resolved' : 'firing';
}
