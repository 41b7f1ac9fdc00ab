/**
 * Grafana's HMAC signing of webhook requests (contact point setting "HMAC signature").
 */
import {
  header,
  hmacSha256Hex,
  secretsEqual,
  type AlertSourceContext,
  type HeaderCheck,
  type SignatureMatch,
  type WebhookRequest,
} from '@akmatori/core';
import {
  grafanaLegacySignatureHeader,
  grafanaSignatureHeader,
  grafanaTimestampHeader,
  type GrafanaConfig,
} from './config.js';

type Headers = WebhookRequest['headers'];

/**
 * Judges a Grafana request before its body is read: a signature that is 64 hex digits, in the
 * configured signature header, with a Unix timestamp in the configured timestamp header, needs
 * the body to be checked (and is dated by that timestamp); anything else is refused. Grafana
 * signs without a timestamp unless its contact point names a timestamp header: such requests
 * are refused, since nothing would stop one from being replayed later.
 *
 * @example
 * ```ts
 * checkGrafanaHeaders(request.headers, context); // { outcome: 'needs-body', signedAt: ... }
 * ```
 */
export function checkGrafanaHeaders(
  headers: Headers,
  context: AlertSourceContext<GrafanaConfig>,
): HeaderCheck {
  const config = context.config ?? {};
  const signatures = signatureHeaders(config)
    .map((name) => header(headers, name)?.trim())
    .filter((value): value is string => value !== undefined);
  if (signatures.length === 0) return { outcome: 'refused' };
  if (!signatures.some((value) => /^[0-9a-f]{64}$/i.test(value)))
    return { outcome: 'refused', reason: 'the signature is not 64 hex digits' };
  const name = timestampHeader(config);
  const signedAt = unixSeconds(header(headers, name));
  if (signedAt === undefined)
    return {
      outcome: 'refused',
      reason: `the signed request has no Unix timestamp in ${name} (set it as the contact point's timestamp header)`,
    };
  return { outcome: 'needs-body', signedAt };
}

/**
 * Accepts a request signed the way grafana/alerting's HMAC round tripper signs it:
 * hex(HMAC-SHA256(secret, timestamp + ":" + raw body)) in the configured signature header
 * (default `X-Grafana-Alerting-Signature`, also `X-Grafana-Alert-Signature`), the timestamp
 * taken from the configured timestamp header (default `X-Grafana-Alerting-Timestamp`).
 * Compared in constant time. Returns the matching signature and its timestamp, so the host can
 * refuse stale ones and replays; false when there is no timestamp.
 *
 * @example
 * ```ts
 * verifyGrafanaSignature(request, context); // { signature: '72ae…', signedAt: 2026-01-01T… }
 * ```
 */
export function verifyGrafanaSignature(
  request: WebhookRequest,
  context: AlertSourceContext<GrafanaConfig>,
): boolean | SignatureMatch {
  const { secret } = context;
  if (secret === undefined || secret === '') return false;
  const config = context.config ?? {};
  const timestamp = header(request.headers, timestampHeader(config))?.trim();
  const signedAt = unixSeconds(timestamp);
  if (signedAt === undefined) return false;
  const signed = Buffer.concat([Buffer.from(`${timestamp}:`, 'utf8'), request.rawBody]);
  const expected = hmacSha256Hex(secret, signed);
  let matched: string | undefined;
  for (const name of signatureHeaders(config)) {
    const signature = header(request.headers, name)?.trim().toLowerCase();
    if (signature !== undefined && secretsEqual(signature, expected)) matched = signature;
  }
  return matched === undefined ? false : { signature: matched, signedAt };
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

function timestampHeader(config: GrafanaConfig): string {
  const configured = config.timestamp_header?.trim();
  return configured === undefined || configured === '' ? grafanaTimestampHeader : configured;
}

/** A Unix time in whole seconds, as Grafana writes it; undefined for anything else. */
function unixSeconds(value: string | undefined): Date | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined || !/^\d{1,11}$/.test(trimmed)) return undefined;
  return new Date(Number(trimmed) * 1000);
}
