import { describe, expect, it } from 'vitest';
import type { ModelUsage } from './llm-provider.js';
import { createJsonUsageTap, readModelUsage } from './model-proxy-usage.js';
import { createSseUsageTap } from './sse-usage.js';

const frame = (type: string, response: unknown, withEventLine = true): string =>
  `${withEventLine ? `event: ${type}\n` : ''}data: ${JSON.stringify({ type, response })}\n\n`;

function tapSse(stream: string): ModelUsage[] {
  const usages: ModelUsage[] = [];
  const tap = createSseUsageTap((usage) => usages.push(usage));
  tap.push(Buffer.from(stream));
  tap.end();
  return usages;
}

const usage = {
  input_tokens: 30,
  input_tokens_details: { cached_tokens: 20 },
  output_tokens: 9,
  output_tokens_details: { reasoning_tokens: 4 },
};

describe('createSseUsageTap', () => {
  it('reports the usage of response.completed', () => {
    const stream =
      frame('response.created', { id: 'r1' }) +
      frame('response.completed', { id: 'r1', model: 'm', usage });
    expect(tapSse(stream)).toEqual([
      {
        responseId: 'r1',
        model: 'm',
        inputTokens: 30,
        cachedInputTokens: 20,
        outputTokens: 9,
        reasoningTokens: 4,
      },
    ]);
  });

  it('reads the type from the JSON when the frame has no event line', () => {
    expect(tapSse(frame('response.completed', { id: 'r1', usage }, false))).toHaveLength(1);
  });

  it('counts null token details as zero, as the Codex fake sends them', () => {
    const sparse = {
      input_tokens: 10,
      input_tokens_details: null,
      output_tokens: 5,
      output_tokens_details: null,
    };
    expect(tapSse(frame('response.completed', { id: 'r1', usage: sparse }))).toEqual([
      {
        responseId: 'r1',
        model: null,
        inputTokens: 10,
        cachedInputTokens: 0,
        outputTokens: 5,
        reasoningTokens: 0,
      },
    ]);
  });

  it('reports a completed response without usage as zero tokens', () => {
    expect(tapSse(frame('response.completed', { id: 'r1' }))[0]).toMatchObject({
      responseId: 'r1',
      inputTokens: 0,
      outputTokens: 0,
    });
  });

  it('reports failed and incomplete responses only when they carry usage', () => {
    const stream =
      frame('response.failed', { id: 'r1', error: { code: 'server_error' } }) +
      frame('response.incomplete', { id: 'r2', usage });
    expect(tapSse(stream).map((found) => found.responseId)).toEqual(['r2']);
  });

  it('reports a response id once even if the provider repeats the terminal event', () => {
    const completed = frame('response.completed', { id: 'r1', usage });
    expect(tapSse(completed + completed)).toHaveLength(1);
  });

  it('ignores frames that are not JSON', () => {
    expect(tapSse('event: response.completed\ndata: [DONE]\n\n')).toEqual([]);
  });
});

describe('createJsonUsageTap', () => {
  const run = (body: string, maxBytes?: number): ModelUsage[] => {
    const usages: ModelUsage[] = [];
    const tap = createJsonUsageTap((found) => usages.push(found), maxBytes);
    tap.push(Buffer.from(body.slice(0, 7)));
    tap.push(Buffer.from(body.slice(7)));
    tap.end();
    return usages;
  };

  it('reports the usage of a non-streaming response', () => {
    const body = JSON.stringify({ id: 'r1', object: 'response', status: 'completed', usage });
    expect(run(body)[0]).toMatchObject({ responseId: 'r1', inputTokens: 30, reasoningTokens: 4 });
  });

  it('reports nothing for a body that is not JSON or over the size limit', () => {
    const body = JSON.stringify({ id: 'r1', status: 'completed', usage });
    expect(run('not json')).toEqual([]);
    expect(run(body, 10)).toEqual([]);
  });
});

describe('readModelUsage', () => {
  it('reads negative, fractional or non-numeric counts safely', () => {
    expect(
      readModelUsage({
        usage: {
          input_tokens: -3,
          output_tokens: 2.7,
          input_tokens_details: { cached_tokens: '5' },
        },
      }),
    ).toEqual({
      responseId: null,
      model: null,
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 2,
      reasoningTokens: 0,
    });
  });

  it('gives undefined for something that is not a response object', () => {
    expect(readModelUsage(null)).toBeUndefined();
    expect(readModelUsage([1])).toBeUndefined();
  });
});
