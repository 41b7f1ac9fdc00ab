import { afterEach, describe, expect, it } from 'vitest';
import { writePieces, type ProviderScript } from '../test/fake-llm-provider.js';
import {
  callProxy,
  codexRequestBody,
  proxyFixture,
  realApiKey,
} from '../test/model-proxy-harness.js';
import type { ModelExchange } from './model-proxy.js';

const stream = Buffer.from(
  'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1"}}\n\n' +
    'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_1","usage":{"input_tokens":3,"output_tokens":2}}}\n\n',
);
const streamScript: ProviderScript = async ({ res }) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  await writePieces(res, [stream.subarray(0, 30), stream.subarray(30)]);
  res.end();
};

const fixture = proxyFixture();
afterEach(() => fixture.tearDown());

describe('model proxy: recording each call for replay', () => {
  it('hands over the forwarded request and the whole streamed response, with the key to scrub', async () => {
    const recorded: ModelExchange[] = [];
    const { proxy } = await fixture.setUp(streamScript, {
      recordExchange: (exchange) => void recorded.push(exchange),
    });
    const answer = await callProxy(proxy.url);
    expect(answer.status).toBe(200);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.response.equals(stream), recorded[0]?.response.toString()).toBe(true);
    expect(recorded[0]?.request.equals(codexRequestBody)).toBe(true);
    expect(recorded[0]).toMatchObject({
      status: 200,
      contentType: 'text/event-stream',
      apiKey: realApiKey,
    });
  });

  it('records nothing for a call whose response broke off', async () => {
    const recorded: ModelExchange[] = [];
    const { proxy } = await fixture.setUp(
      async ({ res }) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(stream.subarray(0, 30));
        res.destroy();
      },
      { recordExchange: (exchange) => void recorded.push(exchange) },
    );
    await callProxy(proxy.url).catch(() => undefined);
    expect(recorded).toEqual([]);
  });

  it('records what the worker got when it hangs up after response.completed, before the stream ends', async () => {
    const recorded: ModelExchange[] = [];
    let release: () => void = () => {};
    const { proxy } = await fixture.setUp(
      async ({ res }) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(stream);
        // The provider keeps the stream open; the worker has what it needs and hangs up.
        await new Promise<void>((resolve) => (release = resolve));
        res.end();
      },
      { recordExchange: (exchange) => void recorded.push(exchange) },
    );
    await callProxy(proxy.url, {
      onBody: (received) => (received.includes('response.completed') ? 'disconnect' : undefined),
    }).catch(() => undefined);
    await expect.poll(() => recorded.length).toBe(1);
    release();
    expect(recorded[0]?.response.equals(stream), recorded[0]?.response.toString()).toBe(true);
  });
});
