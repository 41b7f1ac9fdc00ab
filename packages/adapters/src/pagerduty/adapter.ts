/**
 * The PagerDuty alert source.
 */
import { defineAlertAdapter, emptyObjectSchema, type AlertAdapter } from '@akmatori/core';
import eventsTrigger from './fixtures/events_v2_alertmanager_0.25_trigger.json' with { type: 'json' };
import priorityUpdated from './fixtures/pagerduty_docs_v3_incident_priority_updated.json' with { type: 'json' };
import triggered from './fixtures/v3_incident_triggered_zulip.json' with { type: 'json' };
import { parsePagerDutyRequest } from './parse.js';
import { checkPagerDutyHeaders, verifyPagerDutyRequest } from './verify.js';

/**
 * Receives PagerDuty in both directions: v3 webhooks about PagerDuty incidents (one alert per
 * incident) and Events API v2/v1 requests, so anything that sends to PagerDuty, Alertmanager's
 * `pagerduty_configs` included, can send to Akmatori instead (one alert per `dedup_key`).
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-sources', adapters: [pagerdutyAdapter] });
 * ```
 */
export const pagerdutyAdapter: AlertAdapter = defineAlertAdapter({
  id: 'pagerduty',
  displayName: 'PagerDuty',
  configSchema: emptyObjectSchema,
  authentication:
    'Authorization: Bearer <webhook secret>; or, for v3 webhooks, the subscription signed with ' +
    'the webhook secret (X-PagerDuty-Signature: v1=...; refused when its event.occurred_at is ' +
    'more than 5 minutes off or it is replayed); or, for Events API requests, a ' +
    'routing_key (v1: service_key) equal to the webhook secret',
  fingerprintFields: [
    'event.data.id (v3 webhooks)',
    'dedup_key (Events API v2)',
    'incident_key (Events API v1)',
  ],
  samples: [
    { name: 'v3 webhook: incident triggered', body: triggered },
    { name: 'v3 webhook: incident priority updated (PagerDuty docs)', body: priorityUpdated },
    { name: 'Events API v2 trigger from Alertmanager 0.25', body: eventsTrigger },
  ],
  checkHeaders: checkPagerDutyHeaders,
  verify: verifyPagerDutyRequest,
  parse: parsePagerDutyRequest,
});
