import type { IncomingMessage } from 'node:http';

/** What {@link readRequestBody} found: the whole body, or that it is over the limit. */
export type RequestBody =
  { readonly kind: 'complete'; readonly bytes: Buffer } | { readonly kind: 'too-large' };

/**
 * Reads a request body into memory, up to `limitBytes`. A declared `content-length` over the
 * limit is refused before reading; a body that grows past it stops being kept and the rest
 * is drained, so the caller can still answer 413 on the same socket. Rejects when the client
 * goes away before the body is complete.
 *
 * @example
 * ```ts
 * const body = await readRequestBody(req, 16 * 1024 * 1024);
 * if (body.kind === 'too-large') return sendError(res, GatewayErrors.AKM_GATEWAY_BODY_TOO_LARGE({ limit }));
 * ```
 */
export function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<RequestBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.on('error', () => undefined);
    req.resume();
    return Promise.resolve({ kind: 'too-large' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else {
        cleanup();
        chunks.length = 0;
        req.on('error', () => undefined); // the 413 is already decided
        req.resume(); // discard the rest
        resolve({ kind: 'too-large' });
      }
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ kind: 'complete', bytes: Buffer.concat(chunks, size) });
    };
    const onGone = (error?: Error): void => {
      cleanup();
      reject(error ?? new Error('The client closed the connection before sending the whole body'));
    };
    const onClose = (): void => {
      if (!req.complete) onGone();
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onClose);
  });
}
