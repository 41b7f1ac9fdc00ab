/**
 * Turns one Uptime Kuma webhook delivery into one alert: a monitor's DOWN beat fires the alert
 * `monitor:<id>`, its UP beat resolves it; notifications about no single beat (the "Test"
 * button, certificate and domain expiry) become alerts of their own.
 */
import { type AlertSeverity, type AlertSourceContext, type NormalizedAlert, type WebhookRequest } from '@akmatori/core';
/** Settings of one Uptime Kuma alert source. */
export interface UptimeKumaConfig {
    /** Severity of a monitor that is down and has no severity tag. Default `critical`. */
    downSeverity?: AlertSeverity;
    /** Name of the monitor tag whose value is the alert's severity. Default `severity`. */
    severityTag?: string;
    /** Uptime Kuma's own address, for links back to a monitor (`<url>/dashboard/<id>`). */
    kumaUrl?: string;
}
/**
 * Reads a delivery into alerts; throws `payloadError` for a body that is not Uptime Kuma's.
 *
 * @example
 * ```ts
 * const [alert] = parseUptimeKuma(request, context); // alert.fingerprint === 'monitor:7'
 * ```
 */
export declare function parseUptimeKuma(request: WebhookRequest, context: AlertSourceContext<UptimeKumaConfig>): NormalizedAlert[];
//# sourceMappingURL=parse.d.ts.map