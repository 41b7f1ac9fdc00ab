import { afterEach, describe, expect, it } from 'vitest';
import {
  cutAt,
  startFakeLlmProvider,
  writePieces,
  type FakeLlmProvider,
  type ProviderScript,
} from '../test/fake-llm-provider.js';
import {
  callProxy,
  codexRequestBody,
  realApiKey,
  runToken,
  proxyFixture,
  startProxy,
  within,
  type ProxyUnderTest,
} from '../test/model-proxy-harness.js';
import type { ModelProxyOptions } from './model-proxy.js';

/** A Responses API stream with every shape the parser must survive. */
const frames = {
  created:
    'event: response.created\r\ndata: {"type":"response.created","response":{"id":"resp_42"}}\r\n\r\n',
  keepalive: ': keepalive\n\n',
  delta:
    'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Disk is full ✓"}\n\n',
  item: 'event: response.output_item.done\ndata: {"type":"response.output_item.done","item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"exec_command","arguments":"{\\"cmd\\":\\"df -h\\"}"}}\n\n',
  completed:
    'event: response.completed\r\ndata: {"type":"response.completed",\r\n' +
    'data: "response":{"id":"resp_42","model":"gpt-5.5-2026-10-01",\r\n' +
    'data: "usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024},' +
    '"output_tokens":87,"output_tokens_details":{"reasoning_tokens":64},"total_tokens":1287}}}\r\n\r\n',
};
const firstFrame = Buffer.from(frames.created);
const restOfStream = Buffer.from(frames.keepalive + frames.delta + frames.item + frames.completed);
const wholeStream = Buffer.concat([firstFrame, restOfStream]);

/** Pieces that split a `\r\n` pair, a UTF-8 character and lines in the middle. */
const awkwardPieces = (bytes: Buffer): Buffer[] =>
  cutAt(bytes, [
    bytes.indexOf('\r\n', bytes.indexOf('"type":"response.completed"')) + 1,
    bytes.indexOf('✓') + 1,
    bytes.indexOf('input_tokens') + 5,
  ]);

const sseHeaders = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-request-id': 'req_upstream_1',
  'openai-processing-ms': '41',
  'x-ratelimit-remaining-tokens': '99000',
  'set-cookie': '__cf_bm=provider-cookie; path=/',
};

const streamScript: ProviderScript = async ({ res }) => {
  res.writeHead(200, sseHeaders);
  await writePieces(res, awkwardPieces(wholeStream));
  res.end();
};

const fixture = proxyFixture();
afterEach(() => fixture.tearDown());
let provider: FakeLlmProvider | undefined;
let proxy: ProxyUnderTest | undefined;

async function setUp(
  script: ProviderScript,
  options: Partial<ModelProxyOptions> = {},
): ReturnType<typeof fixture.setUp> {
  ({ provider, proxy } = await fixture.setUp(script, options));
  return { provider, proxy };
}

describe('model proxy: streaming a Responses API call', () => {
  it('gives the worker exactly the bytes the provider wrote', async () => {
    const { proxy } = await setUp(streamScript);
    const answer = await callProxy(proxy.url);
    expect(answer.status).toBe(200);
    expect(
      answer.body.equals(wholeStream),
      `worker got:\n${answer.body.toString()}\nprovider wrote:\n${wholeStream.toString()}`,
    ).toBe(true);
  });

  it('calls the provider with the real API key instead of the worker run token', async () => {
    const { provider, proxy } = await setUp(streamScript);
    await callProxy(proxy.url);
    const [request] = provider.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/responses');
    expect(request?.headers.authorization).toBe(`Bearer ${realApiKey}`);
    expect(JSON.stringify(request?.headers)).not.toContain(runToken);
  });

  it('forwards the request body byte for byte', async () => {
    const { provider, proxy } = await setUp(streamScript);
    await callProxy(proxy.url);
    const received = provider.requests[0]?.body ?? Buffer.alloc(0);
    expect(received.equals(codexRequestBody), `provider got: ${received.toString()}`).toBe(true);
    expect(provider.requests[0]?.headers['content-length']).toBe(String(codexRequestBody.length));
  });

  it('forwards the Codex headers and drops cookies, forwarding and organization headers', async () => {
    const { provider, proxy } = await setUp(streamScript);
    await callProxy(proxy.url);
    const headers = provider.requests[0]?.headers ?? {};
    expect(headers).toMatchObject({
      accept: 'text/event-stream',
      'content-type': 'application/json',
      'openai-beta': 'responses=experimental',
      originator: 'codex_exec',
      'user-agent': 'codex_exec/0.169.0 (Debian 12; x86_64)',
      session_id: 'session-0001',
      'x-codex-turn-metadata': '{"turn_id":"t-1"}',
      'accept-encoding': 'identity',
    });
    for (const dropped of [
      'cookie',
      'x-forwarded-for',
      'openai-organization',
      'x-akmatori-internal',
    ])
      expect(headers, `${dropped} must not reach the provider`).not.toHaveProperty(dropped);
  });

  it("passes the provider's response headers but not its cookies", async () => {
    const { proxy } = await setUp(streamScript);
    const answer = await callProxy(proxy.url);
    expect(answer.headers).toMatchObject({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-request-id': 'req_upstream_1',
      'openai-processing-ms': '41',
      'x-ratelimit-remaining-tokens': '99000',
    });
    expect(answer.headers).not.toHaveProperty('set-cookie');
  });

  it('records the token usage that response.completed reports', async () => {
    const { proxy } = await setUp(streamScript);
    await callProxy(proxy.url);
    await proxy.settled();
    expect(proxy.usages).toEqual([
      {
        responseId: 'resp_42',
        model: 'gpt-5.5-2026-10-01',
        inputTokens: 1200,
        cachedInputTokens: 1024,
        outputTokens: 87,
        reasoningTokens: 64,
      },
    ]);
  });

  it('delivers the first frame to the worker before the provider has written the rest', async () => {
    let workerHasFirstFrame!: () => void;
    const firstFrameDelivered = new Promise<void>((resolve) => (workerHasFirstFrame = resolve));
    let deliveredWhileRestHeldBack = false;
    const { proxy } = await setUp(async ({ res }) => {
      res.writeHead(200, sseHeaders);
      res.write(firstFrame);
      deliveredWhileRestHeldBack = await within(firstFrameDelivered, 'held back', 5_000).then(
        () => true,
        () => false,
      );
      await writePieces(res, awkwardPieces(restOfStream));
      res.end();
    });
    const answer = await callProxy(proxy.url, {
      onBody: (received) => {
        if (received.length >= firstFrame.length) workerHasFirstFrame();
      },
    });
    expect(
      deliveredWhileRestHeldBack,
      'the worker did not get the first frame while the provider held back the rest: the proxy buffers the stream',
    ).toBe(true);
    expect(answer.body.equals(wholeStream)).toBe(true);
  });

  it('records usage from a non-streaming JSON response and passes the body through', async () => {
    const json = Buffer.from(
      '{"id":"resp_7","object":"response","status":"completed","model":"gpt-5.5",' +
        '"usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":0},' +
        '"output_tokens":5,"output_tokens_details":{"reasoning_tokens":2}}}',
    );
    const { proxy } = await setUp(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(json);
    });
    const answer = await callProxy(proxy.url, { headers: { accept: 'application/json' } });
    await proxy.settled();
    expect(answer.body.equals(json)).toBe(true);
    expect(proxy.usages).toEqual([
      {
        responseId: 'resp_7',
        model: 'gpt-5.5',
        inputTokens: 10,
        cachedInputTokens: 0,
        outputTokens: 5,
        reasoningTokens: 2,
      },
    ]);
  });

  it('still streams everything when recording usage fails', async () => {
    const { proxy } = await setUp(streamScript, {
      recordUsage: () => Promise.reject(new Error('database is down')),
    });
    const answer = await callProxy(proxy.url);
    await expect(proxy.settled()).resolves.toBeUndefined();
    expect(answer.body.equals(wholeStream)).toBe(true);
  });

  it('reads the provider settings on every call, so a new key applies at once', async () => {
    provider = await startFakeLlmProvider(streamScript);
    let apiKey = 'sk-first-key-000000';
    const baseUrl = provider.baseUrl;
    proxy = await startProxy(() =>
      Promise.resolve({ provider: 'openai-compatible', baseUrl, apiKey }),
    );
    await callProxy(proxy.url);
    apiKey = 'sk-second-key-11111';
    await callProxy(proxy.url);
    expect(provider.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk-first-key-000000',
      'Bearer sk-second-key-11111',
    ]);
  });
});
