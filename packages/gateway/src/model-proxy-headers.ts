import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Worker request headers the model proxy forwards to the provider. It is an allowlist: the
 * worker sits inside the run's trust boundary and the provider outside it, so a header
 * nobody thought about (a cookie, an internal `x-akmatori-*` header, `x-forwarded-for`
 * with internal addresses, `openai-organization` picking another org's billing) is dropped
 * by default instead of leaking. Forgetting a harmless header costs a feature; forgetting a
 * dangerous one in a denylist would leak.
 */
export const forwardedRequestHeaders: readonly string[] = Object.freeze([
  'accept',
  'content-type',
  'content-encoding', // the body is forwarded unchanged, so its encoding must go with it
  'user-agent',
  'originator',
  'version',
  'openai-beta',
  'session_id',
  'session-id',
  'conversation_id',
  'conversation-id',
  'thread-id',
  'thread_id',
  'x-client-request-id',
  'x-openai-subagent',
  'idempotency-key',
]);

/** Prefixes of forwarded worker headers: Codex metadata and the OpenAI SDKs' client info. */
export const forwardedRequestHeaderPrefixes: readonly string[] = Object.freeze([
  'x-codex-',
  'x-stainless-',
]);

/** Hop-by-hop headers (RFC 9110 §7.6.1) and others that describe one connection, not the message. */
const hopByHopHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Provider response headers never passed to the worker, besides hop-by-hop ones. */
const droppedResponseHeaders = new Set([
  'set-cookie', // provider cookies are no business of the worker
  'set-cookie2',
  'content-length', // the worker's response is re-framed (chunked) by node:http
  'alt-svc', // advertises the provider's endpoints, not the gateway's
]);

/**
 * Headers for the upstream `POST /responses`: the allowlisted worker headers, then the real
 * API key (none when it is empty, for keyless local servers), `accept-encoding: identity` (so bytes can be passed through as they are) and the
 * recomputed `content-length`. The worker's `authorization`, `cookie`, `host` and
 * hop-by-hop headers never pass.
 *
 * @example
 * ```ts
 * upstreamRequestHeaders(req.headers, provider.apiKey, body.length);
 * // { accept: 'text/event-stream', 'content-type': 'application/json', authorization: 'Bearer sk-…', … }
 * ```
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  apiKey: string,
  contentLength: number,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || !isForwardedRequestHeader(name)) continue;
    headers[name] = value;
  }
  if (apiKey !== '') headers['authorization'] = `Bearer ${apiKey}`; // keyless local servers
  headers['accept-encoding'] = 'identity';
  headers['content-length'] = contentLength;
  return headers;
}

/** True when a (lower-case) worker request header may go to the provider. */
export function isForwardedRequestHeader(name: string): boolean {
  return (
    forwardedRequestHeaders.includes(name) ||
    forwardedRequestHeaderPrefixes.some((prefix) => name.startsWith(prefix))
  );
}

/**
 * The provider's response headers as the worker gets them: everything (content type, cache
 * control, request id, rate-limit and `x-codex-*` quota headers, `retry-after`…) except
 * hop-by-hop headers, headers the provider's `connection` header names, cookies and
 * `content-length`. The model proxy requests `identity` encoding and never decodes, so a
 * `content-encoding` the provider sends anyway still matches the bytes and is kept.
 *
 * @example
 * ```ts
 * res.writeHead(upstream.statusCode ?? 502, clientResponseHeaders(upstream.headers));
 * ```
 */
export function clientResponseHeaders(upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionTokens(upstream['connection']);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined) continue;
    if (hopByHopHeaders.has(name) || droppedResponseHeaders.has(name) || named.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}

const connectionTokens = (value: string | string[] | undefined): Set<string> =>
  new Set(
    [value ?? []]
      .flat()
      .flatMap((item) => item.split(','))
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  );
