import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request as a receiver got it; `body` holds the exact bytes sent. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: unknown;
  readonly receivedAt: Date;
}

/** What the receiver answers; the default is 200 with `{"status":"ok"}`. */
export interface ReceiverReply {
  status: number;
  body: string;
}

/** A local HTTP server that records every request, standing in for Akmatori's webhook. */
export interface WebhookReceiver {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Requests received so far, oldest first. */
  readonly requests: readonly ReceivedRequest[];
  /**
   * Resolves with the first request (received before or after the call) that `match`
   * accepts; rejects after `timeoutMs` listing what did arrive.
   */
  waitFor(
    match: (request: ReceivedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedRequest>;
  /** Closes the server. */
  stop(): Promise<void>;
}

/**
 * Starts a receiver on a free 127.0.0.1 port.
 *
 * @example
 * ```ts
 * const receiver = await startReceiver();
 * const request = await receiver.waitFor((r) => r.path === '/hook');
 * await receiver.stop();
 * ```
 */
export async function startReceiver(
  reply: (request: ReceivedRequest) => ReceiverReply = () => ({
    status: 200,
    body: '{"status":"ok"}',
  }),
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json,
        receivedAt: new Date(),
      };
      requests.push(request);
      const answer = reply(request);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = requests.find(match);
          if (found === undefined) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          const seen = requests.map((r) => `${r.method} ${r.path} ${r.body.toString()}`);
          reject(
            new Error(
              `no matching request within ${timeoutMs} ms; received ${requests.length}:\n${seen.join('\n')}`,
            ),
          );
        }, timeoutMs);
        const wake = (): void => void check();
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
        check();
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
