/**
 * The extra way an Alertmanager webhook can prove it knows the secret: HTTP basic auth.
 */
import {
  basicCredentials,
  secretsEqual,
  type AlertSourceContext,
  type HeaderCheck,
  type WebhookRequest,
} from '@akmatori/core';

/**
 * Alertmanager's credentials are all in headers, so the body is never needed: basic auth whose
 * password is the secret is accepted, anything else refused, before the body is read.
 *
 * @example
 * ```ts
 * checkAlertmanagerHeaders(request.headers, context); // { outcome: 'accepted' } for basic auth with the secret
 * ```
 */
export function checkAlertmanagerHeaders(
  headers: WebhookRequest['headers'],
  context: AlertSourceContext<unknown>,
): HeaderCheck {
  return basicPasswordIsSecret(headers, context.secret)
    ? { outcome: 'accepted' }
    : { outcome: 'refused' };
}

/**
 * Accepts HTTP basic auth (Alertmanager's `http_config.basic_auth`) whose password is the
 * source's webhook secret; the user name is not checked. The host already accepts
 * `Authorization: Bearer <secret>` (`http_config.authorization`), so that is not repeated here.
 *
 * @example
 * ```ts
 * verifyAlertmanagerRequest(request, context); // true for "Authorization: Basic <base64 of any:secret>"
 * ```
 */
export function verifyAlertmanagerRequest(
  request: WebhookRequest,
  context: AlertSourceContext<unknown>,
): boolean {
  return basicPasswordIsSecret(request.headers, context.secret);
}

function basicPasswordIsSecret(
  headers: WebhookRequest['headers'],
  secret: string | undefined,
): boolean {
  if (secret === undefined || secret === '') return false;
  const credentials = basicCredentials(headers);
  return credentials !== undefined && secretsEqual(credentials.password, secret);
}
