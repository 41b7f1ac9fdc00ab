/**
 * Grafana's HMAC signing of webhook requests (contact point setting "HMAC signature").
 */
import {
  header,
  hmacSha256Hex,
  secretsEqual,
  type AlertSourceContext,
  type WebhookRequest,
} from '@akmatori/core';
import {
  grafanaLegacySignatureHeader,
  grafanaSignatureHeader,
  type GrafanaConfig,
} from './config.js';

/**
 * Accepts a request signed the way grafana/alerting's HMAC round tripper signs it:
 * hex(HMAC-SHA256(secret, [timestamp + ":"] + raw body)) in the configured signature header
 * (default `X-Grafana-Alerting-Signature`, also `X-Grafana-Alert-Signature`), with the
 * timestamp taken from the configured timestamp header. Compared in constant time.
 *
 * @example
 * ```ts
 * verifyGrafanaSignature(request, { ...context, config: { timestamp_header: 'X-Grafana-Alerting-Timestamp' } });
 * ```
 */
export function verifyGrafanaSignature(
  request: WebhookRequest,
  context: AlertSourceContext<GrafanaConfig>,
): boolean {
  const { secret } = context;
  if (secret === undefined || secret === '') return false;
  const config = context.config ?? {};
  let signed: Buffer = request.rawBody;
  if (config.timestamp_header !== undefined && config.timestamp_header !== '') {
    const timestamp = header(request.headers, config.timestamp_header)?.trim();
    if (timestamp === undefined || timestamp === '') return false;
    signed = Buffer.concat([Buffer.from(`${timestamp}:`, 'utf8'), request.rawBody]);
  }
  const expected = hmacSha256Hex(secret, signed);
  let accepted = false;
  for (const name of signatureHeaders(config)) {
    const signature = header(request.headers, name)?.trim().toLowerCase();
    if (signature !== undefined) accepted = secretsEqual(signature, expected) || accepted;
  }
  return accepted;
}

function signatureHeaders(config: GrafanaConfig): string[] {
  const configured = config.signature_header?.trim();
  if (
    configured === undefined ||
    configured === '' ||
    configured.toLowerCase() === grafanaSignatureHeader.toLowerCase()
  ) {
    return [grafanaSignatureHeader, grafanaLegacySignatureHeader];
  }
  return [configured];
}
