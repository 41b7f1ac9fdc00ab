/**
 * What went wrong talking to Zabbix:
 * - `network`: no connection (refused, DNS, TLS handshake, certificate not trusted);
 * - `timeout`: no complete answer in time; `aborted`: the caller cancelled the call;
 * - `http`: a non-2xx HTTP status; `invalid-response`: a 2xx body that is not JSON-RPC;
 * - `too-large`: the answer exceeded the size cap;
 * - `api`: Zabbix answered with a JSON-RPC `error`; `auth`: it refused the credentials;
 * - `not-found`: a host, group or item the caller named does not exist;
 * - `input`: the arguments cannot be turned into a query (a bad time, no item given).
 */
export type ZabbixErrorKind =
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'http'
  | 'invalid-response'
  | 'too-large'
  | 'api'
  | 'auth'
  | 'not-found'
  | 'input';

/**
 * An error of the Zabbix client or tools. Its message is meant for the agent and the
 * operator, and never holds a token, password or session id.
 *
 * @example
 * ```ts
 * throw new ZabbixError('not-found', 'no Zabbix host is named "web-1"');
 * ```
 */
export class ZabbixError extends Error {
  override name = 'ZabbixError';

  constructor(
    /** What kind of failure it is. */
    readonly kind: ZabbixErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Replaces every occurrence of the given secrets in `text` with `***` (secrets shorter than
 * 4 characters are left alone: they would mask ordinary words).
 *
 * @example
 * ```ts
 * redactSecrets('bad token abcd1234', ['abcd1234']); // 'bad token ***'
 * ```
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) redacted = redacted.replaceAll(secret, '***');
  }
  return redacted;
}

/**
 * `error` as a {@link ZabbixError} whose message has the secrets masked; other errors are
 * wrapped as `network` errors with their message masked.
 *
 * @example
 * ```ts
 * throw withoutSecrets(error, [credentials.api_token]);
 * ```
 */
export function withoutSecrets(
  error: unknown,
  secrets: readonly (string | undefined)[],
): ZabbixError {
  const kind = error instanceof ZabbixError ? error.kind : 'network';
  const message = error instanceof Error ? error.message : String(error);
  const clean = redactSecrets(message, secrets);
  if (error instanceof ZabbixError && clean === message) return error;
  return new ZabbixError(kind, clean);
}
