import { defineErrorCatalog, type AkmatoriError } from '@akmatori/core';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Errors the model proxy answers with itself (upstream error statuses pass through as they
 * are). Messages never contain the API key. A body over the limit uses the gateway-wide
 * `AKM_GATEWAY_BODY_TOO_LARGE`.
 */
export const ModelProxyErrors = defineErrorCatalog({
  AKM_GATEWAY_MODEL_METHOD_NOT_ALLOWED: {
    status: 405,
    message: (p: { method: string }) => `Model calls must be POST, not ${p.method}`,
  },
  AKM_GATEWAY_MODEL_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: (p: { contentType: string }) =>
      `Model calls must have a JSON body (content-type: application/json), not "${p.contentType}"`,
  },
  AKM_GATEWAY_MODEL_PROVIDER_NOT_CONFIGURED: {
    status: 503,
    message: () => 'LLM provider is not configured',
  },
  AKM_GATEWAY_MODEL_PROVIDER_INVALID: {
    status: 503,
    message: (p: { reason: string }) => `LLM provider settings are unusable: ${p.reason}`,
  },
  AKM_GATEWAY_MODEL_PROVIDER_UNREACHABLE: {
    status: 502,
    message: (p: { host: string; reason: string }) =>
      `Cannot reach the LLM provider at ${p.host}: ${p.reason}`,
  },
  AKM_GATEWAY_MODEL_PROVIDER_TIMEOUT: {
    status: 504,
    message: (p: { host: string; seconds: number }) =>
      `The LLM provider at ${p.host} did not answer within ${p.seconds} s`,
  },
});

/**
 * Answers with `error.statusCode` and a `{"error": {"code", "message"}}` JSON body, unless
 * the response has already started (then it can only be cut off).
 *
 * @example
 * ```ts
 * sendProxyError(res, ModelProxyErrors.AKM_GATEWAY_MODEL_PROVIDER_NOT_CONFIGURED());
 * ```
 */
export function sendProxyError(
  res: ServerResponse,
  error: AkmatoriError,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  res.writeHead(error.statusCode, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
