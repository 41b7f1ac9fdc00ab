/**
 * Test support for the model proxy: mounts `createModelProxy` on a real node:http server on
 * 127.0.0.1 and calls it the way the Codex worker does.
 */
import { silentLogger } from '@akmatori/core';
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LlmProvider, ModelUsage } from '../src/llm-provider.js';
import { createModelProxy, type ModelProxyOptions } from '../src/model-proxy.js';
import {
  startFakeLlmProvider,
  type FakeLlmProvider,
  type ProviderScript,
} from './fake-llm-provider.js';

/** The real key the gateway holds; tests check it reaches the provider and nobody else. */
export const realApiKey = 'sk-test-REAL-KEY-0123456789abcdef';
/** The per-run token the worker sends; it must never reach the provider. */
export const runToken = 'run-token-the-worker-holds';

/** A Codex-like request body with its own formatting, to prove it is forwarded unchanged. */
export const codexRequestBody = Buffer.from(
  '{"model":"gpt-5.5",  "instructions":"Investigate the alert – carefully",\n' +
    '"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"disk full on db-1 ✓"}]}],' +
    '"tools":[],"tool_choice":"auto","parallel_tool_calls":true,"stream":true,"store":false,' +
    '"client_metadata":{"session_id":"s-1"}}',
);

/** The headers Codex 0.169 sends, plus a few that must not leave the gateway. */
export const codexRequestHeaders: OutgoingHttpHeaders = {
  authorization: `Bearer ${runToken}`,
  accept: 'text/event-stream',
  'content-type': 'application/json',
  'openai-beta': 'responses=experimental',
  originator: 'codex_exec',
  'user-agent': 'codex_exec/0.169.0 (Debian 12; x86_64)',
  session_id: 'session-0001',
  'x-codex-turn-metadata': '{"turn_id":"t-1"}',
  cookie: 'gateway_session=abc',
  'x-forwarded-for': '10.20.30.40',
  'openai-organization': 'org-somebody-else',
  'x-akmatori-internal': 'do-not-forward',
};

/** A proxy mounted on a loopback server. */
export interface ProxyUnderTest {
  /** `http://127.0.0.1:PORT/v1/responses`. */
  readonly url: string;
  /** Every usage handed to `recordUsage`, in order. */
  readonly usages: ModelUsage[];
  /** Resolves once every request handled so far has been fully handled (usage recorded). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a proxy for `provider` (settings or a function returning them) on 127.0.0.1;
 * `onRequest` sees each request before the proxy does.
 *
 * @example
 * ```ts
 * const proxy = await startProxy({ provider: 'openai', baseUrl, apiKey: realApiKey });
 * ```
 */
export async function startProxy(
  provider: LlmProvider | undefined | (() => Promise<LlmProvider | undefined>),
  options: Partial<ModelProxyOptions> = {},
  onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => undefined,
): Promise<ProxyUnderTest> {
  const usages: ModelUsage[] = [];
  const handled: Promise<void>[] = [];
  const proxy = createModelProxy({
    provider: typeof provider === 'function' ? provider : () => Promise.resolve(provider),
    recordUsage: (usage) => {
      usages.push(usage);
    },
    log: silentLogger(),
    ...options,
  });
  const server = http.createServer((req, res) => {
    onRequest(req, res);
    handled.push(proxy(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/responses`,
    usages,
    settled: async () => {
      await Promise.all(handled);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fake provider with the proxy in front of it, torn down after each test. */
export interface ProxyFixture {
  /** Starts a provider playing `script` and a proxy forwarding to it with {@link realApiKey}. */
  setUp(
    script: ProviderScript,
    options?: Partial<ModelProxyOptions>,
  ): Promise<{ provider: FakeLlmProvider; proxy: ProxyUnderTest }>;
  /** Closes what `setUp` started (call it in `afterEach`). */
  tearDown(): Promise<void>;
}

/**
 * One provider-and-proxy pair per test.
 *
 * @example
 * ```ts
 * const fixture = proxyFixture();
 * afterEach(() => fixture.tearDown());
 * const { provider, proxy } = await fixture.setUp(script);
 * ```
 */
export function proxyFixture(): ProxyFixture {
  let provider: FakeLlmProvider | undefined;
  let proxy: ProxyUnderTest | undefined;
  return {
    async setUp(script, options = {}) {
      provider = await startFakeLlmProvider(script);
      proxy = await startProxy(
        { provider: 'openai', baseUrl: provider.baseUrl, apiKey: realApiKey },
        options,
      );
      return { provider, proxy };
    },
    async tearDown() {
      await proxy?.close();
      await provider?.close();
      proxy = provider = undefined;
    },
  };
}

/** What the worker got back. */
export interface WorkerResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Options for {@link callProxy}. */
export interface CallOptions {
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: Buffer;
  /** Sends the body with chunked transfer encoding (no content-length), in 1 KiB pieces. */
  readonly chunked?: boolean;
  /** Sees the body received so far after each chunk; return `'disconnect'` to hang up. */
  readonly onBody?: (received: Buffer) => 'disconnect' | void;
}

/**
 * Sends one request to the proxy like the worker does and collects the answer. Rejects when
 * the connection breaks before the response is complete (the error names what was received).
 *
 * @example
 * ```ts
 * const answer = await callProxy(proxy.url, { body: codexRequestBody });
 * ```
 */
export function callProxy(url: string, options: CallOptions = {}): Promise<WorkerResponse> {
  const body = options.body ?? codexRequestBody;
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? 'POST',
        headers: {
          ...codexRequestHeaders,
          ...options.headers,
          ...(options.chunked ? {} : { 'content-length': body.length }),
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (options.onBody?.(Buffer.concat(chunks)) === 'disconnect') {
            request.destroy();
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            });
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', (error) =>
          reject(
            new Error(`response broke after ${Buffer.concat(chunks).length} bytes`, {
              cause: error,
            }),
          ),
        );
      },
    );
    request.on('error', reject);
    if (!options.chunked) return void request.end(body);
    for (let offset = 0; offset < body.length; offset += 1024)
      request.write(body.subarray(offset, offset + 1024));
    request.end();
  });
}

/**
 * Waits for `promise`, failing with `problem` if it has not settled after `ms` (so a
 * behaviour that never happens fails with a clear message, not a test timeout).
 *
 * @example
 * ```ts
 * await within(provider.exchange(0).then((e) => e.aborted), 'the provider request was never aborted');
 * ```
 */
export async function within<T>(promise: Promise<T>, problem: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(problem)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
