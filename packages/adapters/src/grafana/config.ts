/**
 * Settings of a Grafana alert source: where Grafana puts its HMAC signature and its timestamp.
 */
import type { ObjectSchema } from '@akmatori/core';

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

/** A Grafana source's configuration, after validation against `grafanaConfigSchema`. */
export interface GrafanaConfig {
  /** Header carrying the hex HMAC-SHA256 signature; default `X-Grafana-Alerting-Signature`. */
  readonly signature_header?: string;
  /** Header carrying the Unix timestamp Grafana signs with the body; default `X-Grafana-Alerting-Timestamp`. */
  readonly timestamp_header?: string;
}

/** Schema of `GrafanaConfig`, for the dashboard's form and the host's validation. */
export const grafanaConfigSchema: ObjectSchema = Object.freeze({
  type: 'object',
  properties: Object.freeze({
    signature_header: Object.freeze({
      type: 'string',
      title: 'Signature header',
      description:
        'Header holding the HMAC-SHA256 signature when the Grafana contact point has HMAC ' +
        `signing on (its "header" setting). Empty means ${grafanaSignatureHeader} ` +
        `(${grafanaLegacySignatureHeader} is accepted too).`,
      minLength: 1,
    }),
    timestamp_header: Object.freeze({
      type: 'string',
      title: 'Timestamp header',
      description:
        'Header holding the Unix timestamp Grafana signs along with the body (the contact ' +
        `point's "timestamp header" setting). Empty means ${grafanaTimestampHeader}. A signed ` +
        'request without it, or more than 5 minutes off, is refused.',
      minLength: 1,
    }),
  }),
  additionalProperties: false,
}) as ObjectSchema;
