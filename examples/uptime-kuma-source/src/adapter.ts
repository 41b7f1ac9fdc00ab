/**
 * The Uptime Kuma alert source: receives Uptime Kuma's "Webhook" notification.
 */
import { defineAlertAdapter, type AlertAdapter } from '@akmatori/core';
import { uptimeKumaConfigSchema, type UptimeKumaConfig } from './config.js';
import certificateExpiry from './fixtures/webhook_json_certificate_expiry.json' with { type: 'json' };
import down from './fixtures/webhook_json_http_down.json' with { type: 'json' };
import up from './fixtures/webhook_json_http_up.json' with { type: 'json' };
import testNotification from './fixtures/webhook_json_test_notification.json' with { type: 'json' };
import { parseUptimeKuma } from './parse.js';

/**
 * Uptime Kuma's webhook notification with the "application/json" request body (or a custom
 * body that renders the same JSON, sent with `Content-Type: application/json`). The sender
 * authenticates with the host's own rule: an `Authorization: Bearer <webhook secret>` header,
 * which Uptime Kuma sends when it is set under "Additional Headers".
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-sources', version: '1.0.0', adapters: [uptimeKumaAdapter] });
 * ```
 */
export const uptimeKumaAdapter: AlertAdapter<UptimeKumaConfig> = defineAlertAdapter({
  id: 'uptime-kuma',
  displayName: 'Uptime Kuma',
  configSchema: uptimeKumaConfigSchema,
  authentication:
    'Authorization: Bearer <webhook secret>, set in Uptime Kuma under Additional Headers as {"Authorization": "Bearer <webhook secret>"}',
  fingerprintFields: ['monitor.id', 'msg (notifications without a monitor)'],
  samples: [
    { name: 'HTTP monitor down', body: down },
    { name: 'HTTP monitor up again', body: up },
    { name: 'certificate expiry', body: certificateExpiry },
    { name: 'the Test button', body: testNotification },
  ],
  parse: parseUptimeKuma,
});
