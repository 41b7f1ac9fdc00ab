import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers a WebSocket upgrade request with a plain HTTP error instead of upgrading: the
 * status, and the app's error JSON (`{statusCode, code, error, message}`) as the body, then
 * closes the socket. No WebSocket ever exists for the request.
 *
 * @example
 * ```ts
 * refuseUpgrade(socket, 401, { code: 'AKM_WORKER_TOKEN_INVALID', message: 'Worker refused: …' });
 * ```
 */
export function refuseUpgrade(
  socket: Duplex,
  statusCode: number,
  error: { readonly code: string; readonly message: string },
): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = STATUS_CODES[statusCode] ?? 'Error';
  const body = JSON.stringify({
    statusCode,
    code: error.code,
    error: status,
    message: error.message,
  });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${statusCode} ${status}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `\r\n${body}`,
  );
}
