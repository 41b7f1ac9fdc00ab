/**
 * The Grafana alert source.
 */
import { defineAlertAdapter, type AlertAdapter } from '@akmatori/core';
import twoFiring from './fixtures/grafana_docs_webhook_notifier_example_firing_2_alerts.json' with { type: 'json' };
import mixed from './fixtures/zulip_alert9_mixed_firing_and_resolved.json' with { type: 'json' };
import legacy from './fixtures/zulip_legacy_alerting_eval_matches.json' with { type: 'json' };
import { grafanaConfigSchema, type GrafanaConfig } from './config.js';
import { parseGrafanaWebhook } from './parse.js';
import { verifyGrafanaSignature } from './verify.js';

/**
 * Receives Grafana's webhook contact point: unified alerting (Grafana 8+, one alert per
 * element of `alerts[]`, identified by Grafana's fingerprint) and the legacy dashboard
 * alerting shape. Verifies Grafana's optional HMAC signature.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-sources', adapters: [grafanaAdapter] });
 * ```
 */
export const grafanaAdapter: AlertAdapter<GrafanaConfig> = defineAlertAdapter<GrafanaConfig>({
  id: 'grafana',
  displayName: 'Grafana',
  configSchema: grafanaConfigSchema,
  authentication:
    'Authorization: Bearer <webhook secret> (contact point "Authorization header"), or ' +
    "Grafana's HMAC signature with the webhook secret as the HMAC secret " +
    '(X-Grafana-Alerting-Signature, or the header set in signature_header)',
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
  verify: verifyGrafanaSignature,
  parse: parseGrafanaWebhook,
});
