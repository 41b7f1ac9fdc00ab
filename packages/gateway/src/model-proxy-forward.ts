import type { Logger } from '@akmatori/core';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import { GatewayErrors } from './errors.js';
import { sendError } from './http-io.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './model-proxy-headers.js';
import type { UsageTap } from './model-proxy-usage.js';

/** How one forwarded model call ended, for the access log. */
export type ForwardOutcome =
  | 'completed'
  | 'upstream-unreachable'
  | 'headers-timeout'
  | 'idle-timeout'
  | 'client-closed'
  | 'upstream-broken';

/** The result of {@link forwardToProvider}. */
export interface ForwardResult {
  /** How the call ended. */
  readonly outcome: ForwardOutcome;
  /** Status the worker got, when it got one. */
  readonly status: number | undefined;
  /** Body bytes relayed from the provider to the worker. */
  readonly bytes: number;
  /** Error code behind a failed outcome (`ECONNREFUSED`…); never a message, never a secret. */
  readonly errorCode?: string;
}

/** One model call to forward. */
export interface ProviderExchange {
  /** The worker's response, answered by the proxy. */
  readonly res: ServerResponse;
  /** The worker's request headers; only allowlisted ones go upstream. */
  readonly incomingHeaders: IncomingHttpHeaders;
  /** The worker's body, forwarded unchanged. */
  readonly body: Buffer;
  /** The provider's Responses endpoint. */
  readonly url: URL;
  /** The real API key, sent as `authorization: Bearer`. */
  readonly apiKey: string;
  /** Time allowed until the provider's response headers; then 504. */
  readonly headersTimeoutMs: number;
  /** Time allowed without progress on the body; then both sides are cut off. */
  readonly idleTimeoutMs: number;
  /** Picks the usage tap for a response, or none. */
  readonly tapFor: (status: number, headers: IncomingHttpHeaders) => UsageTap | undefined;
  /** The call's logger (never given the key). */
  readonly log: Logger;
}

type AbortCause = 'client-closed' | 'headers-timeout' | 'idle-timeout';

/**
 * Sends the worker's call to the provider and relays the answer: same status, filtered
 * headers, and the body chunk by chunk as it arrives (respecting the worker's backpressure),
 * while the usage tap reads a copy. The upstream request is aborted when the worker goes away,
 * when the provider sends no headers within `headersTimeoutMs` (504) or no byte for
 * `idleTimeoutMs` (both sides are cut off). An unreachable provider gives 502.
 *
 * @example
 * ```ts
 * const result = await forwardToProvider({ res, incomingHeaders: req.headers, body, url, apiKey,
 *   headersTimeoutMs: 120_000, idleTimeoutMs: 300_000, tapFor: () => undefined, log });
 * ```
 */
export async function forwardToProvider(exchange: ProviderExchange): Promise<ForwardResult> {
  const { res } = exchange;
  const controller = new AbortController();
  const abort = (cause: AbortCause): void => {
    if (!controller.signal.aborted) controller.abort(cause);
  };
  const abortCause = (): AbortCause | undefined =>
    controller.signal.aborted ? (controller.signal.reason as AbortCause) : undefined;
  const onClientClose = (): void => {
    if (!res.writableFinished) abort('client-closed');
  };
  if (res.destroyed) return { outcome: 'client-closed', status: undefined, bytes: 0 };
  res.once('close', onClientClose);
  try {
    let upstream: IncomingMessage;
    const headersTimer = setTimeout(() => abort('headers-timeout'), exchange.headersTimeoutMs);
    try {
      upstream = await sendUpstream(exchange, controller.signal);
    } catch (error) {
      return answerFailedCall(exchange, abortCause(), error);
    } finally {
      clearTimeout(headersTimer);
    }
    return await relay(exchange, upstream, abort, abortCause);
  } finally {
    res.off('close', onClientClose);
  }
}

function sendUpstream(exchange: ProviderExchange, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = exchange.url.protocol === 'https:' ? https : http;
    const headers = upstreamRequestHeaders(
      exchange.incomingHeaders,
      exchange.apiKey,
      exchange.body.length,
    );
    const request = client.request(exchange.url, { method: 'POST', headers, signal }, resolve);
    request.on('error', reject); // also swallows the abort error raised after the response began
    request.end(exchange.body);
  });
}

function answerFailedCall(
  exchange: ProviderExchange,
  cause: AbortCause | undefined,
  error: unknown,
): ForwardResult {
  const host = exchange.url.host;
  if (cause === 'client-closed') return { outcome: 'client-closed', status: undefined, bytes: 0 };
  if (cause === 'headers-timeout') {
    const seconds = Math.round(exchange.headersTimeoutMs / 100) / 10;
    const timeout = GatewayErrors.AKM_GATEWAY_MODEL_PROVIDER_TIMEOUT({ host, seconds });
    sendError(exchange.res, timeout);
    return { outcome: 'headers-timeout', status: timeout.statusCode, bytes: 0 };
  }
  const errorCode = errorCodeOf(error);
  const unreachable = GatewayErrors.AKM_GATEWAY_MODEL_PROVIDER_UNREACHABLE({
    host,
    reason: errorCode,
  });
  sendError(exchange.res, unreachable);
  return { outcome: 'upstream-unreachable', status: unreachable.statusCode, bytes: 0, errorCode };
}

async function relay(
  exchange: ProviderExchange,
  upstream: IncomingMessage,
  abort: (cause: AbortCause) => void,
  abortCause: () => AbortCause | undefined,
): Promise<ForwardResult> {
  const { res, log } = exchange;
  const status = upstream.statusCode ?? 502;
  const tap = guardedTap(exchange.tapFor(status, upstream.headers), log);
  res.on('error', (error) => log.debug({ errorCode: errorCodeOf(error) }, 'worker socket error'));
  res.writeHead(status, clientResponseHeaders(upstream.headers));
  res.flushHeaders();
  let bytes = 0;
  const idleTimer = setTimeout(() => abort('idle-timeout'), exchange.idleTimeoutMs);
  try {
    for await (const chunk of upstream as AsyncIterable<Buffer>) {
      idleTimer.refresh();
      bytes += chunk.length;
      tap.push(chunk);
      if (!res.write(chunk)) await drained(res);
      if (res.destroyed) abort('client-closed');
    }
    tap.end();
    res.end();
    return { outcome: 'completed', status, bytes };
  } catch (error) {
    // Headers are out: the only honest signal left to the worker is a cut-off stream.
    res.destroy();
    upstream.destroy();
    const outcome = abortCause() ?? 'upstream-broken';
    return { outcome, status, bytes, errorCode: errorCodeOf(error) };
  } finally {
    clearTimeout(idleTimer);
  }
}

/** Resolves when the worker's socket takes more data, or is gone. */
const drained = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    if (res.destroyed) return resolve();
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/** A tap whose failures are logged once and then ignored: usage must never break the stream. */
function guardedTap(tap: UsageTap | undefined, log: Logger): UsageTap {
  let active = tap;
  const run = (step: (tap: UsageTap) => void): void => {
    if (active === undefined) return;
    try {
      step(active);
    } catch (error) {
      active = undefined;
      log.warn({ reason: (error as Error).message }, 'stopped reading usage from this response');
    }
  };
  return { push: (chunk) => run((t) => t.push(chunk)), end: () => run((t) => t.end()) };
}

const errorCodeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'connection failed';
};
