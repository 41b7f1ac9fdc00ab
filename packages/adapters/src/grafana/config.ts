/**
 * Settings of a Grafana alert source: where Grafana puts its HMAC signature.
 */
import type { ObjectSchema } from '@akmatori/core';

/** The header Grafana signs into by default (grafana/alerting `defaultHeaderName`). */
export const grafanaSignatureHeader = 'X-Grafana-Alerting-Signature';

/**
 * The header name grafana/alerting's own comment gives as the default; some Grafana
 * versions and docs use it, so it is accepted too when no header is configured.
 */
export const grafanaLegacySignatureHeader = 'X-Grafana-Alert-Signature';

/** A Grafana source's configuration, after validation against `grafanaConfigSchema`. */
export interface GrafanaConfig {
  /** Header carrying the hex HMAC-SHA256 signature; default `X-Grafana-Alerting-Signature`. */
  readonly signature_header?: string;
  /** Header carrying the Unix timestamp Grafana signed with the body, when configured there. */
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
        'Header holding the timestamp Grafana signs along with the body (its "timestamp header" ' +
        'setting, e.g. X-Grafana-Alerting-Timestamp). Leave empty if Grafana sends none.',
      minLength: 1,
    }),
  }),
  additionalProperties: false,
}) as ObjectSchema;
