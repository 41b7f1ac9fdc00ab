/**
 * A real LLM provider stand-in for the model proxy tests: a node:http server on 127.0.0.1
 * that records every request (headers and raw body) and answers with whatever the test's
 * script writes, so the tests can check bytes, pacing and aborts end to end.
 */
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the provider received it. */
export interface ProviderRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request and the means to answer it. */
export interface ProviderExchange {
  readonly request: ProviderRequest;
  readonly res: ServerResponse;
  /** Resolves when the connection closes before the answer was finished (the proxy aborted). */
  readonly aborted: Promise<void>;
}

/** How the fake answers a request. */
export type ProviderScript = (exchange: ProviderExchange) => Promise<void> | void;

/** A running fake provider. */
export interface FakeLlmProvider {
  /** The base URL to configure, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly baseUrl: string;
  /** Every request received so far. */
  readonly requests: readonly ProviderRequest[];
  /** Resolves with the exchange of the n-th request (0-based), once it has arrived. */
  exchange(index?: number): Promise<ProviderExchange>;
  /** Stops the server and cuts every open connection. */
  close(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1 with a script that answers each request.
 *
 * @example
 * ```ts
 * const provider = await startFakeLlmProvider(({ res }) => res.end('{}'));
 * ```
 */
export async function startFakeLlmProvider(script: ProviderScript): Promise<FakeLlmProvider> {
  const requests: ProviderRequest[] = [];
  const exchanges: ProviderExchange[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const aborted = new Promise<void>((resolve) => {
      res.on('close', () => {
        if (!res.writableFinished) resolve();
      });
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ProviderRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(request);
      const exchange = { request, res, aborted };
      exchanges.push(exchange);
      waiters.splice(0).forEach((wake) => wake());
      void Promise.resolve()
        .then(() => script(exchange))
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async exchange(index = 0) {
      for (;;) {
        const found = exchanges[index];
        if (found !== undefined) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Writes `bytes` in the given pieces, yielding to the event loop between them so each
 * piece leaves as its own write.
 *
 * @example
 * ```ts
 * await writePieces(res, cutAt(bytes, [3, 10]));
 * ```
 */
export async function writePieces(res: ServerResponse, pieces: readonly Buffer[]): Promise<void> {
  for (const piece of pieces) {
    res.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Cuts `bytes` at the given offsets (any order, duplicates ignored) and further into
 * odd-sized pieces of at most `maxPiece` bytes.
 *
 * @example
 * ```ts
 * cutAt(Buffer.from('abcdef'), [2], 3); // ['ab', 'cde', 'f']
 * ```
 */
export function cutAt(bytes: Buffer, offsets: readonly number[], maxPiece = 13): Buffer[] {
  const cuts = [...new Set([...offsets, bytes.length])]
    .filter((offset) => offset > 0 && offset <= bytes.length)
    .sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    while (cut - start > maxPiece) {
      pieces.push(bytes.subarray(start, start + maxPiece));
      start += maxPiece;
    }
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  return pieces;
}
