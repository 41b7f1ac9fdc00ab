import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAkmatoriError } from '@akmatori/core';
import { GatewayErrors } from './errors.js';

/**
 * Reads a request body up to `limit` bytes. Throws `AKM_GATEWAY_BODY_TOO_LARGE` beyond it
 * (from `content-length` when sent, else while reading).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit)
    throw GatewayErrors.AKM_GATEWAY_BODY_TOO_LARGE({ limit });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw GatewayErrors.AKM_GATEWAY_BODY_TOO_LARGE({ limit });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; throws `AKM_GATEWAY_BAD_REQUEST` when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw GatewayErrors.AKM_GATEWAY_BAD_REQUEST({ reason: 'The body is not valid JSON' });
  }
}

/**
 * Sends `{"error": {"code", "message"}}` for an error: catalogued errors with their status,
 * anything else as a 500 that says nothing about the cause. 401s carry `WWW-Authenticate`.
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const known = isAkmatoriError(error);
  const status = known ? error.statusCode : 500;
  const code = known ? error.code : 'AKM_GATEWAY_INTERNAL';
  const message = known ? error.message : 'Internal gateway error';
  const headers: Record<string, string> = { ...extraHeaders, 'content-type': 'application/json' };
  if (status === 401) {
    headers['www-authenticate'] =
      code === GatewayErrors.AKM_GATEWAY_TOKEN_MISSING.code
        ? 'Bearer realm="akmatori-gateway"'
        : 'Bearer realm="akmatori-gateway", error="invalid_token"';
  }
  res.writeHead(status, headers).end(JSON.stringify({ error: { code, message } }));
}

/** Sends a JSON body with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
