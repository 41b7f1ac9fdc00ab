import { AkmatoriError, defineErrorCatalog, isAkmatoriError, scrubSecrets } from '@akmatori/core';

/** Which server a message is about. */
interface At {
  /** `Prometheus` or `Alertmanager`. */
  readonly service: string;
  /** The URL called, without credentials or query. */
  readonly where: string;
}

/**
 * Why a Prometheus or Alertmanager tool call failed. Codes are stable; messages are meant for
 * the agent and the operator and never hold a token, password or key. They end up in tool
 * results (`text`, `structured.error_code`), not HTTP responses, so the status says what kind
 * of failure it is (502/504 for the server, 400 for what the caller asked).
 */
export const PrometheusErrors = defineErrorCatalog({
  /** No connection: refused, DNS, TLS handshake, certificate not trusted. */
  AKM_PROMETHEUS_UNREACHABLE: {
    status: 502,
    message: (p: At & { reason: string }) =>
      `could not reach ${p.service} at ${p.where}: ${p.reason}`,
  },
  AKM_PROMETHEUS_TIMEOUT: {
    status: 504,
    message: (p: At & { seconds: number }) =>
      `no complete answer from ${p.service} at ${p.where} within ${p.seconds} s (raise timeout_seconds, or ask for less)`,
  },
  AKM_PROMETHEUS_CANCELLED: {
    status: 499,
    message: (p: At) => `the call to ${p.service} at ${p.where} was cancelled`,
  },
  /** 401 or 403: the credentials are missing or wrong. */
  AKM_PROMETHEUS_AUTH_REFUSED: {
    status: 502,
    message: (p: At & { status: number; excerpt: string }) =>
      `${p.service} at ${p.where} refused the credentials (HTTP ${p.status}${p.excerpt === '' ? '' : `: ${p.excerpt}`}): check bearer_token, username and password, or the client certificate`,
  },
  /** The API answered `status: "error"` with an `errorType` and `error` (a bad query, say). */
  AKM_PROMETHEUS_API_ERROR: {
    status: 400,
    message: (p: At & { status: number; errorType: string; error: string }) =>
      `${p.service} answered ${p.errorType === '' ? 'an error' : p.errorType} (HTTP ${p.status}): ${p.error}`,
  },
  /** Another non-2xx status without an API error body. */
  AKM_PROMETHEUS_HTTP_STATUS: {
    status: 502,
    message: (p: At & { status: number; statusMessage: string; excerpt: string }) =>
      `${p.service} at ${p.where} answered HTTP ${p.status} ${p.statusMessage}${p.excerpt === '' ? '' : `: ${p.excerpt}`}`,
  },
  /** A 2xx answer that is not the API's JSON (the URL points elsewhere). */
  AKM_PROMETHEUS_INVALID_RESPONSE: {
    status: 502,
    message: (p: At & { excerpt: string }) =>
      `${p.where} did not answer like the ${p.service} API (is url the server's base URL?): ${p.excerpt === '' ? '(empty body)' : p.excerpt}`,
  },
  AKM_PROMETHEUS_TOO_LARGE: {
    status: 502,
    message: (p: At & { limit: string }) =>
      `the answer from ${p.service} at ${p.where} is larger than ${p.limit}: narrow the query (aggregate with sum/topk, add label matchers, a shorter range or a larger step)`,
  },
  /** The settings or arguments cannot be turned into a call (a bad time, too many points). */
  AKM_PROMETHEUS_INPUT_INVALID: {
    status: 400,
    message: (p: { reason: string }) => p.reason,
  },
});

/**
 * True when `error` is one of {@link PrometheusErrors}, optionally the given one.
 *
 * @example
 * ```ts
 * if (isPrometheusError(error, PrometheusErrors.AKM_PROMETHEUS_API_ERROR)) console.log(error.message);
 * ```
 */
export function isPrometheusError(
  error: unknown,
  kind?: { readonly code: string },
): error is AkmatoriError {
  return isAkmatoriError(error, kind) && Object.hasOwn(PrometheusErrors, error.code);
}

/**
 * `error` as one of {@link PrometheusErrors} whose message has the secrets scrubbed (core's
 * `scrubSecrets`); any other error becomes `AKM_PROMETHEUS_UNREACHABLE` with its message
 * scrubbed.
 *
 * @example
 * ```ts
 * throw withoutSecrets(error, [credentials.bearer_token]);
 * ```
 */
export function withoutSecrets(
  error: unknown,
  secrets: readonly (string | undefined)[],
): AkmatoriError {
  const known = secrets.filter((secret): secret is string => typeof secret === 'string');
  const message = error instanceof Error ? error.message : String(error);
  const clean = scrubSecrets(message, known);
  if (isPrometheusError(error)) {
    if (clean === message) return error;
    return new AkmatoriError(error.code, error.statusCode, clean);
  }
  const unreachable = PrometheusErrors.AKM_PROMETHEUS_UNREACHABLE;
  return new AkmatoriError(unreachable.code, unreachable.status, clean);
}
