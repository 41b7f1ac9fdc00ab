/**
 * The Prometheus Alertmanager alert source.
 */
import { defineAlertAdapter, emptyObjectSchema, type AlertAdapter } from '@akmatori/core';
import firing from './fixtures/akmatori_fixture_alertmanager_firing.json' with { type: 'json' };
import twoAlerts from './fixtures/zulip_alert_two_alerts_firing.json' with { type: 'json' };
import { parseAlertmanagerWebhook } from './parse.js';
import { checkAlertmanagerHeaders, verifyAlertmanagerRequest } from './verify.js';

/**
 * Receives Alertmanager's webhook (`webhook_configs`, payload `version: "4"`): one alert per
 * element of `alerts[]`, identified by Alertmanager's own fingerprint.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-sources', adapters: [alertmanagerAdapter] });
 * ```
 */
export const alertmanagerAdapter: AlertAdapter = defineAlertAdapter({
  id: 'alertmanager',
  displayName: 'Prometheus Alertmanager',
  configSchema: emptyObjectSchema,
  authentication:
    'Authorization: Bearer <webhook secret> (http_config.authorization), or HTTP basic auth ' +
    '(http_config.basic_auth) whose password is the webhook secret',
  fingerprintFields: ['alerts[].fingerprint', 'alerts[].labels'],
  samples: [
    { name: 'one alert firing', body: firing },
    { name: 'two alerts with the same labels firing (Alertmanager 2020)', body: twoAlerts },
  ],
  checkHeaders: checkAlertmanagerHeaders,
  verify: verifyAlertmanagerRequest,
  parse: parseAlertmanagerWebhook,
});
