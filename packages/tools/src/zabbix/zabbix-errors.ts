import { AkmatoriError, defineErrorCatalog, isAkmatoriError, scrubSecrets } from '@akmatori/core';

/** A JSON-RPC `error` object as Zabbix sends it. */
export interface JsonRpcError {
  readonly code?: number;
  readonly message?: string;
  readonly data?: unknown;
}

/**
 * Why a Zabbix tool call failed. Codes are stable; messages are meant for the agent and the
 * operator and never hold a token, password or session id. They end up in tool results
 * (`text`, `structured.error_code`), not HTTP responses, so the status says what kind of
 * failure it is (502/504 for the Zabbix server, 400/404 for what the caller asked).
 */
export const ZabbixErrors = defineErrorCatalog({
  /** No connection: refused, DNS, TLS handshake, certificate not trusted. */
  AKM_ZABBIX_UNREACHABLE: {
    status: 502,
    message: (p: { where: string; reason: string }) => `could not reach ${p.where}: ${p.reason}`,
  },
  AKM_ZABBIX_TIMEOUT: {
    status: 504,
    message: (p: { where: string; seconds: number }) =>
      `no complete answer from ${p.where} within ${p.seconds} s`,
  },
  AKM_ZABBIX_CANCELLED: {
    status: 499,
    message: (p: { where: string }) => `the call to ${p.where} was cancelled`,
  },
  AKM_ZABBIX_HTTP_STATUS: {
    status: 502,
    message: (p: {
      method: string;
      where: string;
      status: number;
      statusMessage: string;
      excerpt: string;
    }) =>
      `Zabbix API ${p.method}: ${p.where} answered HTTP ${p.status} ${p.statusMessage}${p.excerpt === '' ? '' : `: ${p.excerpt}`}`,
  },
  AKM_ZABBIX_NOT_JSON_RPC: {
    status: 502,
    message: (p: { method: string; where: string; excerpt: string }) =>
      `Zabbix API ${p.method}: ${p.where} did not answer with JSON-RPC (is api_url the api_jsonrpc.php endpoint?): ${p.excerpt === '' ? '(empty body)' : p.excerpt}`,
  },
  /** A 2xx JSON-RPC answer that does not say what it should (no session id, no version). */
  AKM_ZABBIX_INVALID_RESPONSE: {
    status: 502,
    message: (p: { reason: string }) => p.reason,
  },
  AKM_ZABBIX_TOO_LARGE: {
    status: 502,
    message: (p: { where: string; limit: string }) =>
      `the answer from ${p.where} is larger than ${p.limit}: narrow the query (a lower limit, fewer fields)`,
  },
  /** Zabbix answered with a JSON-RPC `error`; `details.rpc` holds it. */
  AKM_ZABBIX_API_ERROR: {
    status: 502,
    message: (p: { method: string; rpc: JsonRpcError }) => {
      const data = typeof p.rpc.data === 'string' ? p.rpc.data : JSON.stringify(p.rpc.data ?? '');
      return `Zabbix API ${p.method} failed: ${[p.rpc.message, data].filter(Boolean).join(' ')}`;
    },
  },
  AKM_ZABBIX_LOGIN_FAILED: {
    status: 502,
    message: (p: { rejection: string; user: string }) => `${p.rejection} (user "${p.user}")`,
  },
  AKM_ZABBIX_TOKEN_REFUSED: {
    status: 502,
    message: (p: { rejection: string }) =>
      `${p.rejection} Zabbix did not accept the API token: check api_token (it may be wrong, expired or disabled).`,
  },
  AKM_ZABBIX_SESSION_REFUSED: {
    status: 502,
    message: (p: { rejection: string; user: string }) =>
      `${p.rejection} Zabbix did not accept the session of user "${p.user}" even after logging in again.`,
  },
  /** A host, group or item the caller named does not exist; `what` completes "no Zabbix …". */
  AKM_ZABBIX_NOT_FOUND: {
    status: 404,
    message: (p: { what: string }) => `no Zabbix ${p.what}`,
  },
  /** The settings or arguments cannot be turned into a query (a bad time, no item given). */
  AKM_ZABBIX_INPUT_INVALID: {
    status: 400,
    message: (p: { reason: string }) => p.reason,
  },
});

/**
 * True when `error` is one of {@link ZabbixErrors}, optionally the given one.
 *
 * @example
 * ```ts
 * if (isZabbixError(error, ZabbixErrors.AKM_ZABBIX_API_ERROR)) console.log(error.details);
 * ```
 */
export function isZabbixError(
  error: unknown,
  kind?: { readonly code: string },
): error is AkmatoriError {
  return isAkmatoriError(error, kind) && Object.hasOwn(ZabbixErrors, error.code);
}

/**
 * `error` as one of {@link ZabbixErrors} whose message has the secrets scrubbed (core's
 * `scrubSecrets`); any other error becomes `AKM_ZABBIX_UNREACHABLE` with its message scrubbed.
 *
 * @example
 * ```ts
 * throw withoutSecrets(error, [credentials.api_token]);
 * ```
 */
export function withoutSecrets(
  error: unknown,
  secrets: readonly (string | undefined)[],
): AkmatoriError {
  const known = secrets.filter((secret): secret is string => secret !== undefined);
  const message = error instanceof Error ? error.message : String(error);
  const clean = scrubSecrets(message, known);
  if (isZabbixError(error)) {
    if (clean === message) return error;
    return new AkmatoriError(error.code, error.statusCode, clean);
  }
  return new AkmatoriError(
    ZabbixErrors.AKM_ZABBIX_UNREACHABLE.code,
    ZabbixErrors.AKM_ZABBIX_UNREACHABLE.status,
    clean,
  );
}
