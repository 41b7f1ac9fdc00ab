import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createSecureContext } from 'node:tls';
import { boundedRequest, networkReason, type HttpReply } from '../http/bounded-request.js';
import type { HttpApiCredentials } from './http-api-credentials.js';
import { PrometheusErrors, withoutSecrets } from './http-api-errors.js';

/** Query parameters; an array is sent as the parameter repeated (`match[]=a&match[]=b`). */
export type QueryParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A read-only client of one Prometheus or Alertmanager HTTP API. */
export interface HttpApiClient {
  /** `Prometheus` or `Alertmanager`, for messages. */
  readonly service: string;
  /** The base URL without credentials, for messages. */
  readonly where: string;
  /**
   * GETs `path` (relative to the base URL, e.g. `api/v1/query`) and returns the parsed JSON
   * of a 2xx answer; rejects with one of {@link PrometheusErrors}, secrets scrubbed.
   */
  getJson(path: string, params: QueryParams, signal: AbortSignal): Promise<unknown>;
}

/** Largest answer read, in bytes: bigger ones fail with `AKM_PROMETHEUS_TOO_LARGE`. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const DEFAULT_TIMEOUT_SECONDS = 30;

const agents = new Map<string, HttpAgent>();
const MAX_CACHED_AGENTS = 32;

/**
 * A client for the API at `credentials.url`, with its authentication (bearer token or basic
 * auth), TLS settings (client certificate, CA, verification) and time limit. Connections are
 * kept alive in an agent shared by calls with the same settings.
 *
 * @example
 * ```ts
 * const client = httpApiClient('Prometheus', { url: 'http://127.0.0.1:9090' });
 * const body = await client.getJson('api/v1/query', { query: 'up' }, signal);
 * ```
 */
export function httpApiClient(service: string, credentials: HttpApiCredentials): HttpApiClient {
  const basic =
    nonEmpty(credentials.username) === undefined
      ? undefined
      : Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64');
  // The basic auth header's base64 too: a server may echo the header it refused.
  const secrets = [
    credentials.bearer_token,
    credentials.password,
    credentials.tls_client_key,
    basic,
  ];
  const base = baseUrl(credentials.url);
  const where = `${base.origin}${base.pathname}`;
  const timeoutMs = (credentials.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (nonEmpty(credentials.bearer_token) !== undefined)
    headers.authorization = `Bearer ${credentials.bearer_token}`;
  else if (basic !== undefined) headers.authorization = `Basic ${basic}`;
  return {
    service,
    where,
    async getJson(path, params, signal) {
      try {
        const url = new URL(path, base);
        for (const [name, value] of Object.entries(params)) {
          if (value === undefined) continue;
          for (const item of typeof value === 'string' ? [value] : value)
            url.searchParams.append(name, item);
        }
        const agent = agentFor(base, credentials);
        const reply = await get(url, agent, headers, { service, where, signal, timeoutMs });
        return readAnswer(reply, { service, where });
      } catch (error) {
        throw withoutSecrets(error, secrets);
      }
    },
  };
}

function baseUrl(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw PrometheusErrors.AKM_PROMETHEUS_INPUT_INVALID({ reason: 'url is not an http(s) URL' });
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

function agentFor(base: URL, credentials: HttpApiCredentials): HttpAgent {
  if (base.protocol === 'http:')
    return agents.get('http') ?? remember('http', new HttpAgent({ keepAlive: true }));
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        credentials.tls_client_cert ?? null,
        credentials.tls_client_key ?? null,
        credentials.tls_ca_cert ?? null,
        credentials.verify_tls !== false,
      ]),
    )
    .digest('hex');
  const known = agents.get(key);
  if (known !== undefined) {
    agents.delete(key);
    agents.set(key, known);
    return known;
  }
  const tls = {
    ...(nonEmpty(credentials.tls_ca_cert) !== undefined && { ca: credentials.tls_ca_cert }),
    ...(nonEmpty(credentials.tls_client_cert) !== undefined && {
      cert: credentials.tls_client_cert,
      key: credentials.tls_client_key,
    }),
  };
  try {
    // Checked here, so bad PEM is a settings error rather than a failed connection.
    createSecureContext(tls);
  } catch (error) {
    throw PrometheusErrors.AKM_PROMETHEUS_INPUT_INVALID({
      reason: `the TLS settings cannot be used (tls_client_cert, tls_client_key or tls_ca_cert is not valid PEM): ${(error as Error).message}`,
    });
  }
  const agent = new HttpsAgent({
    keepAlive: true,
    rejectUnauthorized: credentials.verify_tls !== false,
    ...tls,
  });
  return remember(key, agent);
}

function remember(key: string, agent: HttpAgent): HttpAgent {
  agents.set(key, agent);
  for (const [oldest, old] of agents) {
    if (agents.size <= MAX_CACHED_AGENTS) break;
    agents.delete(oldest);
    old.destroy();
  }
  return agent;
}

interface CallLimits {
  readonly service: string;
  readonly where: string;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

function get(
  url: URL,
  agent: HttpAgent,
  headers: Readonly<Record<string, string>>,
  limits: CallLimits,
): Promise<HttpReply> {
  const at = { service: limits.service, where: limits.where };
  return boundedRequest(
    url,
    { method: 'GET', agent, headers },
    { signal: limits.signal, timeoutMs: limits.timeoutMs, maxBytes: MAX_ANSWER_BYTES },
    {
      cancelled: () => PrometheusErrors.AKM_PROMETHEUS_CANCELLED(at),
      timedOut: () =>
        PrometheusErrors.AKM_PROMETHEUS_TIMEOUT({ ...at, seconds: limits.timeoutMs / 1000 }),
      tooLarge: () =>
        PrometheusErrors.AKM_PROMETHEUS_TOO_LARGE({
          ...at,
          limit: `${MAX_ANSWER_BYTES / 1024 / 1024} MiB`,
        }),
      unreachable: (error) =>
        PrometheusErrors.AKM_PROMETHEUS_UNREACHABLE(
          {
            ...at,
            reason: networkReason(
              error,
              ": the server's TLS certificate is not trusted (set tls_ca_cert to the CA that signed it, or verify_tls to false only for a server you trust)",
            ),
          },
          { cause: error },
        ),
    },
  );
}

function readAnswer(reply: HttpReply, at: { service: string; where: string }): unknown {
  const excerpt = reply.body.replace(/\s+/g, ' ').trim().slice(0, 300);
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    body = undefined;
  }
  // Prometheus API v1 errors: {"status":"error","errorType":"bad_data","error":"..."}.
  if (isRecord(body) && body.status === 'error') {
    return throwApiError(at, reply.status, String(body.errorType ?? ''), String(body.error ?? ''));
  }
  if (reply.status === 401 || reply.status === 403) {
    throw PrometheusErrors.AKM_PROMETHEUS_AUTH_REFUSED({ ...at, status: reply.status, excerpt });
  }
  if (reply.status < 200 || reply.status > 299) {
    // Alertmanager API v2 errors: a JSON string, or {"code": 400, "message": "..."}.
    if (typeof body === 'string' && body !== '') return throwApiError(at, reply.status, '', body);
    if (isRecord(body) && typeof body.message === 'string')
      return throwApiError(at, reply.status, '', body.message);
    throw PrometheusErrors.AKM_PROMETHEUS_HTTP_STATUS({
      ...at,
      status: reply.status,
      statusMessage: reply.statusMessage,
      excerpt,
    });
  }
  if (body === undefined)
    throw PrometheusErrors.AKM_PROMETHEUS_INVALID_RESPONSE({ ...at, excerpt });
  return body;
}

function throwApiError(
  at: { service: string; where: string },
  status: number,
  errorType: string,
  error: string,
): never {
  throw PrometheusErrors.AKM_PROMETHEUS_API_ERROR({ ...at, status, errorType, error });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
