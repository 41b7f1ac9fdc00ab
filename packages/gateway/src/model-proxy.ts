import type { AkmatoriError, Logger } from '@akmatori/core';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { GatewayErrors } from './errors.js';
import { responsesUrl, type LlmProvider, type ModelUsage } from './llm-provider.js';
import { readRequestBody } from './model-proxy-body.js';
import { sendError } from './http-io.js';
import { forwardToProvider } from './model-proxy-forward.js';
import { createJsonUsageTap, type UsageTap } from './model-proxy-usage.js';
import { applyRequestPolicy } from './model-request-policy.js';
import { createSseUsageTap } from './sse-usage.js';

/** Options for {@link createModelProxy}. */
export interface ModelProxyOptions {
  /** Current provider settings, read per request so a settings change applies at once; undefined → 503. */
  readonly provider: () => Promise<LlmProvider | undefined>;
  /**
   * Called once per completed response with its usage and the configured model; its errors
   * are logged, never break the stream.
   */
  readonly recordUsage: (
    usage: ModelUsage,
    call: { readonly model: string | undefined },
  ) => Promise<void> | void;
  /**
   * Asked before each call is forwarded (after the body is read): an error refuses the call
   * with that error, as the spend guard does once a budget is used up.
   */
  readonly admit?: () => Promise<AkmatoriError | undefined>;
  /**
   * Called once per call the provider answered in full, with the forwarded request body and the
   * whole response body (for the run's recording); its errors are logged, never break the call.
   * The provider's API key is given so the recorder can scrub it.
   */
  readonly recordExchange?: (exchange: ModelExchange) => Promise<void> | void;
  /** Logger bound to the caller's context (component, run); each call logs through a child. The API key is never logged. */
  readonly log: Logger;
  /** Largest request body accepted, in bytes. Default 16 MiB; larger → 413. */
  readonly bodyLimitBytes?: number;
  /** How long the provider may take to answer with headers. Default 120 s; then 504. */
  readonly headersTimeoutMs?: number;
  /**
   * How long a streaming body may make no progress (no byte from the provider, or a worker
   * that takes none). Default 300 s; then both sides are cut off.
   */
  readonly idleTimeoutMs?: number;
}

/** One model call answered in full, as {@link ModelProxyOptions.recordExchange} gets it. */
export interface ModelExchange {
  /** The request body as forwarded to the provider. */
  readonly request: Buffer;
  readonly status: number;
  readonly contentType: string;
  /** The response body exactly as relayed to the worker. */
  readonly response: Buffer;
  /** The provider's API key, to scrub from what is kept. */
  readonly apiKey: string;
}

/** Defaults of {@link ModelProxyOptions}. */
export const modelProxyDefaults = Object.freeze({
  bodyLimitBytes: 16 * 1024 * 1024,
  headersTimeoutMs: 120_000,
  idleTimeoutMs: 300_000,
});

/**
 * Creates the handler for `POST /v1/responses` (the caller has already checked the run token).
 * It pins the request to the configured model and strips hosted tools from it
 * ({@link applyRequestPolicy}), asks `admit` (the spend budgets), forwards the call to the
 * configured LLM provider with the real API key, streams the provider's answer back unchanged
 * and records the token usage that `response.completed` (or a non-streaming JSON body) reports.
 *
 * @example
 * ```ts
 * const proxy = createModelProxy({
 *   provider: async () => ({ provider: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey }),
 *   recordUsage: (usage) => runs.addUsage(runId, usage),
 *   log,
 * });
 * http.createServer((req, res) => void proxy(req, res)).listen(8080);
 * ```
 */
export function createModelProxy(
  options: ModelProxyOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { log } = options;
  const bodyLimitBytes = options.bodyLimitBytes ?? modelProxyDefaults.bodyLimitBytes;
  const headersTimeoutMs = options.headersTimeoutMs ?? modelProxyDefaults.headersTimeoutMs;
  const idleTimeoutMs = options.idleTimeoutMs ?? modelProxyDefaults.idleTimeoutMs;

  return async (req, res) => {
    const startedAt = performance.now();
    const method = req.method ?? 'GET';
    if (method !== 'POST') {
      const error = GatewayErrors.AKM_GATEWAY_MODEL_METHOD_NOT_ALLOWED({ method });
      return sendError(res, error, { allow: 'POST' });
    }
    const contentType = req.headers['content-type'] ?? '';
    if (mediaType(contentType) !== 'application/json') {
      const error = GatewayErrors.AKM_GATEWAY_MODEL_UNSUPPORTED_MEDIA_TYPE({ contentType });
      return sendError(res, error);
    }
    let body: Awaited<ReturnType<typeof readRequestBody>>;
    try {
      body = await readRequestBody(req, bodyLimitBytes);
    } catch {
      log.debug('the worker closed the connection while sending its request');
      return;
    }
    if (body.kind === 'too-large') {
      const error = GatewayErrors.AKM_GATEWAY_BODY_TOO_LARGE({ limit: bodyLimitBytes });
      return sendError(res, error, { connection: 'close' });
    }

    const target = await resolveProvider(options, log);
    if ('error' in target) return sendError(res, target.error);
    const policy = applyRequestPolicy(body.bytes, target.model);
    if (policy.kind === 'invalid')
      return sendError(res, GatewayErrors.AKM_GATEWAY_BAD_REQUEST({ reason: policy.reason }));
    if (policy.modelReplaced !== undefined || policy.strippedTools.length > 0)
      log.warn(
        { requested: policy.modelReplaced, pinned: target.model, stripped: policy.strippedTools },
        'model request rewritten: model pinned, hosted tools removed',
      );
    const refusal = await options.admit?.();
    if (refusal !== undefined) return sendError(res, refusal);

    const pending: Promise<void>[] = [];
    const onUsage = (usage: ModelUsage): void => {
      log.debug({ usage }, 'model usage');
      pending.push(
        Promise.resolve()
          .then(() => options.recordUsage(usage, { model: target.model }))
          .catch((error: unknown) =>
            log.error({ err: error, responseId: usage.responseId }, 'recording model usage failed'),
          ),
      );
    };
    const callLog = log.child({ upstreamHost: target.url.host });
    let recording: ResponseCopy | undefined;
    const result = await forwardToProvider({
      res,
      incomingHeaders: req.headers,
      body: policy.body,
      url: target.url,
      apiKey: target.apiKey,
      headersTimeoutMs,
      idleTimeoutMs,
      tapFor: (status, headers) => {
        const usageTap = usageTapFor(status, headers, onUsage);
        if (options.recordExchange === undefined) return usageTap;
        recording = createResponseCopy(usageTap, bodyLimitBytes, status, headers);
        return recording.tap;
      },
      log: callLog,
    });
    // A worker may hang up once it has read `response.completed`, before the stream's end
    // reaches the proxy: what it was sent is still what it got.
    const copy = recording?.copy(
      result.outcome === 'completed' || result.outcome === 'client-closed',
    );
    if (copy !== undefined)
      pending.push(
        Promise.resolve()
          .then(() =>
            options.recordExchange?.({ request: policy.body, ...copy, apiKey: target.apiKey }),
          )
          .catch((error: unknown) => log.error({ err: error }, 'recording the model call failed')),
      );
    // A provider that cannot be reached stops every investigation: an error, not routine.
    const level =
      result.outcome === 'upstream-unreachable'
        ? 'error'
        : result.outcome === 'completed' || result.outcome === 'client-closed'
          ? 'info'
          : 'warn';
    callLog[level](
      { method, ...result, durationMs: Math.round(performance.now() - startedAt) },
      level === 'error'
        ? 'model call failed: the LLM provider is unreachable'
        : 'model call forwarded',
    );
    await Promise.all(pending);
  };
}

async function resolveProvider(
  options: ModelProxyOptions,
  log: Logger,
): Promise<{ url: URL; apiKey: string; model: string | undefined } | { error: AkmatoriError }> {
  let provider: LlmProvider | undefined;
  try {
    provider = await options.provider();
  } catch (error) {
    log.error({ err: error }, 'reading the LLM provider settings failed');
    const reason = 'the settings could not be read';
    return { error: GatewayErrors.AKM_GATEWAY_MODEL_PROVIDER_INVALID({ reason }) };
  }
  if (provider === undefined) {
    return { error: GatewayErrors.AKM_GATEWAY_MODEL_PROVIDER_NOT_CONFIGURED() };
  }
  try {
    return { url: responsesUrl(provider), apiKey: provider.apiKey, model: provider.model };
  } catch (error) {
    const reason = (error as Error).message;
    return { error: GatewayErrors.AKM_GATEWAY_MODEL_PROVIDER_INVALID({ reason }) };
  }
}

/** The tap that reads usage from a successful, unencoded SSE or JSON response. */
function usageTapFor(
  status: number,
  headers: IncomingHttpHeaders,
  onUsage: (usage: ModelUsage) => void,
): UsageTap | undefined {
  if (status < 200 || status >= 300) return undefined;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return undefined;
  const type = mediaType(headers['content-type'] ?? '');
  if (type === 'text/event-stream') return createSseUsageTap(onUsage);
  if (type === 'application/json') return createJsonUsageTap(onUsage);
  return undefined;
}

/** A copy of a response body taken while it is relayed (for the run's recording). */
interface ResponseCopy {
  readonly tap: UsageTap;
  /** The response, when `relayed` (the worker got it) and it fit in the limit. */
  copy(relayed: boolean): Omit<ModelExchange, 'request' | 'apiKey'> | undefined;
}

/** Adds to `tap` a copy of the body, up to `limit` bytes (a larger body is not kept). */
function createResponseCopy(
  tap: UsageTap | undefined,
  limit: number,
  status: number,
  headers: IncomingHttpHeaders,
): ResponseCopy {
  const chunks: Buffer[] = [];
  let bytes = 0;
  return {
    tap: {
      push(chunk) {
        tap?.push(chunk);
        bytes += chunk.length;
        if (bytes <= limit) chunks.push(Buffer.from(chunk));
      },
      end() {
        tap?.end();
      },
    },
    copy: (relayed) =>
      relayed && bytes <= limit
        ? { status, contentType: headers['content-type'] ?? '', response: Buffer.concat(chunks) }
        : undefined,
  };
}

const mediaType = (contentType: string): string =>
  (contentType.split(';')[0] ?? '').trim().toLowerCase();
