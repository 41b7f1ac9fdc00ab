/**
 * The Datadog alert source.
 */
import { defineAlertAdapter, emptyObjectSchema, type AlertAdapter } from '@akmatori/core';
import recovered from './fixtures/keep_real_log_alert_recovered_keep-api.json' with { type: 'json' };
import triggered from './fixtures/keep_real_log_alert_triggered_keep-api.json' with { type: 'json' };
import metricMonitor from './fixtures/port_docs_query_alert_monitor_triggered.json' with { type: 'json' };
import { parseDatadogWebhook } from './parse.js';

/**
 * Receives Datadog monitor notifications from the Webhooks integration, with Datadog's
 * default payload or a richer template (`$ALERT_TRANSITION`, `$ALERT_ID`, `$ALERT_SCOPE`,
 * `$ALERT_PRIORITY`, `$TAGS`...). One alert per notification.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-sources', adapters: [datadogAdapter] });
 * ```
 */
export const datadogAdapter: AlertAdapter = defineAlertAdapter({
  id: 'datadog',
  displayName: 'Datadog',
  configSchema: emptyObjectSchema,
  authentication:
    'Authorization: Bearer <webhook secret>, set as a custom header of the Datadog webhook',
  fingerprintFields: [
    'alert_cycle_key',
    'aggreg_key',
    'alert_id + alert_scope',
    'title + alert_scope',
  ],
  samples: [
    { name: 'log monitor triggered (real delivery)', body: triggered },
    { name: 'log monitor recovered (real delivery)', body: recovered },
    { name: 'metric monitor triggered (Port docs)', body: metricMonitor },
  ],
  parse: parseDatadogWebhook,
});
