import { createLogger } from '@akmatori/core';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@akmatori/test-support/peers/process';
import {
  startFakeLlmProvider,
  type FakeLlmProvider,
  type ProviderScript,
} from '../test/fake-llm-provider.js';
import {
  callProxy,
  realApiKey,
  proxyFixture,
  startProxy,
  within,
  type ProxyUnderTest,
} from '../test/model-proxy-harness.js';
import type { LlmProvider } from './llm-provider.js';
import type { ModelProxyOptions } from './model-proxy.js';

const createdFrame = Buffer.from(
  'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_9"}}\n\n',
);

/** Answers with the first frame, then holds the stream open until the proxy hangs up. */
const stallAfterFirstFrame: ProviderScript = async ({ res, aborted }) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(createdFrame);
  await aborted;
};

/** For calls the proxy must refuse before the provider is asked. */
const answerEmpty: ProviderScript = ({ res }) => {
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

const errorOf = (body: Buffer): { code?: string; message?: string } =>
  (JSON.parse(body.toString()) as { error: { code?: string; message?: string } }).error;

describe('model proxy: when things go wrong', () => {
  it('passes a provider 429 through with its status, headers and JSON body', async () => {
    const rateLimited = Buffer.from(
      '{"error":{"message":"Rate limit reached for gpt-5.5","type":"requests","code":"rate_limit_exceeded"}}',
    );
    const { proxy } = await setUp(({ res }) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(rateLimited);
    });
    const answer = await callProxy(proxy.url);
    await proxy.settled();
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('7');
    expect(answer.body.equals(rateLimited), answer.body.toString()).toBe(true);
    expect(proxy.usages).toEqual([]);
  });

  it('answers 502 without the API key when the provider cannot be reached', async () => {
    const port = await freePort();
    const unreachable = `http://127.0.0.1:${port}/v1`;
    proxy = await startProxy({
      provider: 'openai-compatible',
      baseUrl: unreachable,
      apiKey: realApiKey,
    });
    const answer = await callProxy(proxy.url);
    expect(answer.status).toBe(502);
    expect(answer.body.toString()).not.toContain(realApiKey);
    expect(errorOf(answer.body)).toEqual({
      code: 'AKM_GATEWAY_MODEL_PROVIDER_UNREACHABLE',
      message: `Cannot reach the LLM provider at 127.0.0.1:${port}: ECONNREFUSED`,
    });
  });

  it('logs an unreachable provider as an error, not at info', async () => {
    const port = await freePort();
    let logText = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        done();
      },
    });
    proxy = await startProxy(
      { provider: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: realApiKey },
      { log: createLogger({ destination, level: 'info' }) },
    );
    expect((await callProxy(proxy.url)).status).toBe(502);
    await proxy.settled();
    const lines = logText
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string; outcome?: string });
    const call = lines.find((line) => line.outcome === 'upstream-unreachable');
    expect(call, logText).toMatchObject({
      level: 50,
      msg: 'model call failed: the LLM provider is unreachable',
    });
    expect(logText).not.toContain(realApiKey);
  });

  it('answers 503 when no LLM provider is configured', async () => {
    proxy = await startProxy(undefined);
    const answer = await callProxy(proxy.url);
    expect(answer.status).toBe(503);
    expect(errorOf(answer.body)).toEqual({
      code: 'AKM_GATEWAY_MODEL_PROVIDER_NOT_CONFIGURED',
      message: 'LLM provider is not configured',
    });
  });

  it('answers 413 for a body over the limit and never calls the provider', async () => {
    const { provider, proxy } = await setUp(answerEmpty, { bodyLimitBytes: 1024 });
    const answer = await callProxy(proxy.url, { body: Buffer.alloc(4096, '{}') });
    expect(answer.status).toBe(413);
    expect(errorOf(answer.body).code).toBe('AKM_GATEWAY_BODY_TOO_LARGE');
    expect(provider.requests).toHaveLength(0);
  });

  it('answers 413 for a chunked body that grows over the limit', async () => {
    const { provider, proxy } = await setUp(answerEmpty, { bodyLimitBytes: 1024 });
    const answer = await callProxy(proxy.url, { body: Buffer.alloc(8192, '{}'), chunked: true });
    expect(answer.status).toBe(413);
    expect(provider.requests).toHaveLength(0);
  });

  it('answers 405 to anything but POST', async () => {
    const { proxy } = await setUp(answerEmpty);
    const answer = await callProxy(proxy.url, { method: 'GET', body: Buffer.alloc(0) });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
    expect(errorOf(answer.body).code).toBe('AKM_GATEWAY_MODEL_METHOD_NOT_ALLOWED');
  });

  it('answers 415 to a body that is not JSON', async () => {
    const { proxy } = await setUp(answerEmpty);
    const answer = await callProxy(proxy.url, { headers: { 'content-type': 'text/plain' } });
    expect(answer.status).toBe(415);
    expect(errorOf(answer.body).code).toBe('AKM_GATEWAY_MODEL_UNSUPPORTED_MEDIA_TYPE');
  });

  it('aborts the provider request when the worker disconnects mid-stream', async () => {
    const { provider, proxy } = await setUp(stallAfterFirstFrame);
    const answer = await callProxy(proxy.url, {
      onBody: (received) => (received.length >= createdFrame.length ? 'disconnect' : undefined),
    });
    expect(answer.body.equals(createdFrame)).toBe(true);
    const exchange = await provider.exchange(0);
    await within(exchange.aborted, 'the provider request stayed open after the worker left');
    await proxy.settled();
    expect(proxy.usages).toEqual([]);
  });

  it('does not call the provider for a worker that left while the settings were read', async () => {
    provider = await startFakeLlmProvider(answerEmpty);
    const settings: LlmProvider = {
      provider: 'openai',
      baseUrl: provider.baseUrl,
      apiKey: realApiKey,
    };
    let workerLeft!: () => void;
    const workerGone = new Promise<void>((resolve) => (workerLeft = resolve));
    let settingsAsked!: () => void;
    const asked = new Promise<void>((resolve) => (settingsAsked = resolve));
    proxy = await startProxy(
      async () => {
        settingsAsked();
        await workerGone;
        return settings;
      },
      {},
      (_req, res) => res.on('close', workerLeft),
    );
    const call = callProxy(proxy.url).catch(() => undefined);
    await asked;
    await proxy.close();
    await call;
    await within(proxy.settled(), 'the proxy kept handling a call whose worker had left');
    expect(provider.requests).toHaveLength(0);
  });

  it('answers 504 and hangs up on a provider that sends no headers in time', async () => {
    const { provider, proxy } = await setUp(({ aborted }) => aborted, { headersTimeoutMs: 200 });
    const answer = await callProxy(proxy.url);
    expect(answer.status).toBe(504);
    expect(errorOf(answer.body).code).toBe('AKM_GATEWAY_MODEL_PROVIDER_TIMEOUT');
    const exchange = await provider.exchange(0);
    await within(exchange.aborted, 'the provider request stayed open after the headers timeout');
  });

  it('cuts both sides off when the provider goes silent mid-stream', async () => {
    const { provider, proxy } = await setUp(stallAfterFirstFrame, { idleTimeoutMs: 200 });
    await expect(callProxy(proxy.url)).rejects.toThrow(/response broke after \d+ bytes/);
    const exchange = await provider.exchange(0);
    await within(exchange.aborted, 'the provider request stayed open after the idle timeout');
  });

  it('never writes the API key to the log', async () => {
    let logText = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        done();
      },
    });
    const log = createLogger({ destination, level: 'debug' });
    const { proxy } = await setUp(
      ({ res }) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(createdFrame);
      },
      { log },
    );
    await callProxy(proxy.url);
    await proxy.settled();
    expect(logText).toContain('model call forwarded');
    expect(logText).toContain('"upstreamHost":"127.0.0.1:');
    expect(logText).not.toContain(realApiKey);
  });
});
