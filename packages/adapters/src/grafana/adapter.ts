/**
 * The Grafana alert source.
 */
import { defineAlertAdapter, type AlertAdapter } from '@akmatori/core';
import twoFiring from './fixtures/grafana_docs_webhook_notifier_example_firing_2_alerts.json' with { type: 'json' };
import mixed from './fixtures/zulip_alert9_mixed_firing_and_resolved.json' with { type: 'json' };
import legacy from './fixtures/zulip_legacy_alerting_eval_matches.json' with { type: 'json' };
import { grafanaConfigSchema, type GrafanaConfig } from './config.js';
import { parseGrafanaWebhook } from './parse.js';
import { checkGrafanaHeaders, verifyGrafanaSignature } from './verify.js';

/**
 * Receives Grafana's webhook contact point: unified alerting (Grafana 8+, one alert per
 * element of `alerts[]`, identified by Grafana's fingerprint) and the legacy dashboard
 * alerting shape. Verifies Grafana's optional HMAC signature, which must carry a timestamp.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-sources', adapters: [grafanaAdapter] });
 * ```
 */
export const grafanaAdapter: AlertAdapter<GrafanaConfig> = defineAlertAdapter({
  id: 'grafana',
  displayName: 'Grafana',
  configSchema: grafanaConfigSchema,
  authentication:
    'Authorization: Bearer <webhook secret> (contact point "Authorization header"), or ' +
    "Grafana's HMAC signature with the webhook secret as the HMAC secret and a timestamp " +
    '(X-Grafana-Alerting-Signature and X-Grafana-Alerting-Timestamp, or the headers set in ' +
    'signature_header and timestamp_header; refused when more than 5 minutes off or replayed)',
  fingerprintFields: [
    'alerts[].fingerprint',
    'alerts[].labels',
    'orgId, dashboardId, panelId, ruleId (legacy)',
  ],
  samples: [
    { name: 'two alerts firing (Grafana docs)', body: twoFiring },
    { name: 'one firing and two resolved (Grafana 9)', body: mixed },
    { name: 'legacy dashboard alert', body: legacy },
  ],
  checkHeaders: checkGrafanaHeaders,
  verify: verifyGrafanaSignature,
  parse: parseGrafanaWebhook,
});
