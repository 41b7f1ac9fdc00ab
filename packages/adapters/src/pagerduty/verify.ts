/**
 * The extra ways a PagerDuty request can prove it knows the secret: a v3 webhook signature, or
 * an Events API routing key equal to it.
 */
import {
  header,
  hmacSha256Hex,
  parseTimestamp,
  secretsEqual,
  text,
  type AlertSourceContext,
  type HeaderCheck,
  type SignatureMatch,
  type WebhookRequest,
} from '@akmatori/core';
import { asObject } from '../shared/payload.js';

const signatureHeader = 'x-pagerduty-signature';

/**
 * Judges a PagerDuty request before its body is read. A v3 webhook's `X-PagerDuty-Signature`
 * covers the body, so a well-formed one (`v1=` and 64 hex digits) needs the body; a malformed
 * one is refused. Without a signature, an `Authorization` header (the host already found it
 * wrong) is refused; a request with neither may be an Events API request whose routing key is
 * in the body, so it needs the body.
 *
 * @example
 * ```ts
 * checkPagerDutyHeaders({ 'x-pagerduty-signature': 'v1=' + 'a'.repeat(64) }, context); // needs-body
 * ```
 */
export function checkPagerDutyHeaders(
  headers: WebhookRequest['headers'],
  _context: AlertSourceContext<unknown>,
): HeaderCheck {
  const signatures = header(headers, signatureHeader);
  if (signatures !== undefined) {
    const wellFormed = signatures.split(',').some((s) => /^v1=[0-9a-f]{64}$/i.test(s.trim()));
    return wellFormed
      ? { outcome: 'needs-body' }
      : { outcome: 'refused', reason: 'X-PagerDuty-Signature holds no v1= signature' };
  }
  if (header(headers, 'authorization') !== undefined) return { outcome: 'refused' };
  return { outcome: 'needs-body' };
}

/**
 * Accepts a v3 webhook whose `X-PagerDuty-Signature` holds `v1=<hex HMAC-SHA256(secret, raw
 * body)>` (several comma-separated signatures during a secret rotation: any one matching is
 * enough), or an Events API request whose `routing_key` (v1: `service_key`) is the secret.
 * Every comparison is constant-time and all signatures are checked.
 *
 * PagerDuty signs no header with a time, so a signed webhook is dated by the signed body's
 * `event.occurred_at`; it is returned with the matching signature so the host refuses stale
 * and replayed ones. A signature over a body without that time is not accepted.
 *
 * @example
 * ```ts
 * verifyPagerDutyRequest(request, context); // { signature: 'v1=…', signedAt } for a signed webhook
 * ```
 */
export function verifyPagerDutyRequest(
  request: WebhookRequest,
  context: AlertSourceContext<unknown>,
): boolean | SignatureMatch {
  const { secret } = context;
  if (secret === undefined || secret === '') return false;
  let matched: string | undefined;
  const signatures = header(request.headers, signatureHeader);
  if (signatures !== undefined) {
    const expected = `v1=${hmacSha256Hex(secret, request.rawBody)}`;
    for (const signature of signatures.split(',')) {
      const candidate = signature.trim().toLowerCase();
      if (secretsEqual(candidate, expected)) matched = candidate;
    }
  }
  const body = asObject(request.body);
  if (matched !== undefined) {
    const signedAt = parseTimestamp(asObject(body?.event)?.occurred_at);
    return signedAt === undefined ? false : { signature: matched, signedAt };
  }
  const routingKey = text(body?.routing_key) ?? text(body?.service_key);
  return routingKey !== undefined && secretsEqual(routingKey, secret);
}
