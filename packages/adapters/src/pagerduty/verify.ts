/**
 * The extra ways a PagerDuty request can prove it knows the secret: a v3 webhook signature, or
 * an Events API routing key equal to it.
 */
import {
  header,
  hmacSha256Hex,
  secretsEqual,
  text,
  type AlertSourceContext,
  type WebhookRequest,
} from '@akmatori/core';
import { asObject } from '../shared/payload.js';

/**
 * Accepts a v3 webhook whose `X-PagerDuty-Signature` holds `v1=<hex HMAC-SHA256(secret, raw
 * body)>` (several comma-separated signatures during a secret rotation: any one matching is
 * enough), or an Events API request whose `routing_key` (v1: `service_key`) is the secret.
 * Every comparison is constant-time and all signatures are checked.
 *
 * @example
 * ```ts
 * verifyPagerDutyRequest(request, context); // true for "X-PagerDuty-Signature: v1=<hmac>"
 * ```
 */
export function verifyPagerDutyRequest(
  request: WebhookRequest,
  context: AlertSourceContext<unknown>,
): boolean {
  const { secret } = context;
  if (secret === undefined || secret === '') return false;
  let accepted = false;
  const signatures = header(request.headers, 'x-pagerduty-signature');
  if (signatures !== undefined) {
    const expected = `v1=${hmacSha256Hex(secret, request.rawBody)}`;
    for (const signature of signatures.split(',')) {
      accepted = secretsEqual(signature.trim().toLowerCase(), expected) || accepted;
    }
  }
  const body = asObject(request.body);
  const routingKey = text(body?.routing_key) ?? text(body?.service_key);
  if (routingKey !== undefined) accepted = secretsEqual(routingKey, secret) || accepted;
  return accepted;
}
