/**
 * The extra way an Alertmanager webhook can prove it knows the secret: HTTP basic auth.
 */
import {
  basicCredentials,
  secretsEqual,
  type AlertSourceContext,
  type WebhookRequest,
} from '@akmatori/core';

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
  if (context.secret === undefined || context.secret === '') return false;
  const credentials = basicCredentials(request.headers);
  return credentials !== undefined && secretsEqual(credentials.password, context.secret);
}
