/**
 * The Uptime Kuma alert source: receives Uptime Kuma's "Webhook" notification.
 */
import { type AlertAdapter } from '@akmatori/core';
import { type UptimeKumaConfig } from './parse.js';
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
export declare const uptimeKumaAdapter: AlertAdapter<UptimeKumaConfig>;
//# sourceMappingURL=adapter.d.ts.map