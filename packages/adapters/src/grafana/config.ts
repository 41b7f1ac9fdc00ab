/**
 * Settings of a Grafana alert source: where Grafana puts its HMAC signature and its timestamp.
 */
import { defineSchema, type SchemaValue } from '@akmatori/core';

/** The header Grafana signs into by default (grafana/alerting `defaultHeaderName`). */
export const grafanaSignatureHeader = 'X-Grafana-Alerting-Signature';

/**
 * The header name grafana/alerting's own comment gives as the default; some Grafana
 * versions and docs use it, so it is accepted too when no header is configured.
 */
export const grafanaLegacySignatureHeader = 'X-Grafana-Alert-Signature';

/**
 * The header the signing timestamp is read from when the source names none. Grafana has no
 * default name: its contact point must be given this one (or the one set in `timestamp_header`).
 */
export const grafanaTimestampHeader = 'X-Grafana-Alerting-Timestamp';

/** Schema of a Grafana source's settings, for the dashboard's form and the host's validation. */
export const grafanaConfigSchema = defineSchema({
  type: 'object',
  properties: {
    signature_header: {
      type: 'string',
      title: 'Signature header',
      description:
        'Header holding the HMAC-SHA256 signature when the Grafana contact point has HMAC ' +
        `signing on (its "header" setting). Empty means ${grafanaSignatureHeader} ` +
        `(${grafanaLegacySignatureHeader} is accepted too).`,
      minLength: 1,
    },
    timestamp_header: {
      type: 'string',
      title: 'Timestamp header',
      description:
        'Header holding the Unix timestamp Grafana signs along with the body (the contact ' +
        `point's "timestamp header" setting). Empty means ${grafanaTimestampHeader}. A signed ` +
        'request without it, or more than 5 minutes off, is refused.',
      minLength: 1,
    },
  },
  additionalProperties: false,
});

/**
 * A Grafana source's configuration, after validation, as {@link grafanaConfigSchema} says:
 * `signature_header` (default `X-Grafana-Alerting-Signature`) and `timestamp_header` (default
 * `X-Grafana-Alerting-Timestamp`), both optional strings.
 */
export type GrafanaConfig = SchemaValue<typeof grafanaConfigSchema>;
