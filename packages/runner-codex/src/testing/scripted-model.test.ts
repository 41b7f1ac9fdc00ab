import { afterEach, describe, expect, it } from 'vitest';
import {
  error,
  inputMessages,
  lastFunctionCallOutput,
  mcp,
  message,
  outputText,
  shell,
  startScriptedModel,
  usage,
  type ScriptedModel,
} from './index.js';

let model: ScriptedModel | undefined;
afterEach(async () => model?.close());

const shellTools = [{ type: 'function', name: 'exec_command', parameters: {} }];

async function post(body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${model!.baseUrl}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k1' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** The `data:` payloads of an SSE body, checking each frame's `event:` matches its type. */
function frames(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      const data = JSON.parse(dataLine!.replace(/^data: /, '')) as Record<string, unknown>;
      expect(eventLine).toBe(`event: ${String(data.type)}`);
      return data;
    });
}

describe('the scripted model', () => {
  it('answers each request with the next turn as SSE frames and records the request', async () => {
    model = await startScriptedModel([
      [shell('echo hi')],
      [message('done'), usage({ input_tokens: 7, output_tokens: 3 })],
    ]);
    const first = frames((await post({ tools: shellTools, input: [] })).text);
    expect(first.map((frame) => frame.type)).toEqual([
      'response.created',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(first[1]).toMatchObject({
      item: {
        type: 'function_call',
        name: 'exec_command',
        arguments: '{"cmd":"echo hi"}',
        call_id: 'call_1_0',
      },
    });
    const second = frames((await post({ input: [] })).text);
    expect(second[1]).toMatchObject({
      item: {
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'done' }],
      },
    });
    expect(second[2]).toMatchObject({
      response: { usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 } },
    });
    expect(model.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer k1',
      'Bearer k1',
    ]);
  });

  it('calls an offered MCP tool in its namespace', async () => {
    model = await startScriptedModel([[mcp('akmatori', 'web__get', { url: 'http://x' })]]);
    const tools = [
      { type: 'namespace', name: 'mcp__akmatori', tools: [{ type: 'function', name: 'web__get' }] },
    ];
    expect(frames((await post({ tools })).text)[1]).toMatchObject({
      item: {
        type: 'function_call',
        namespace: 'mcp__akmatori',
        name: 'web__get',
        arguments: '{"url":"http://x"}',
      },
    });
  });

  it('searches for an MCP tool Codex did not offer yet, then calls it once loaded', async () => {
    model = await startScriptedModel([[mcp('akmatori', 'web__get')], [message('ok')]]);
    const search = frames((await post({ tools: [{ type: 'tool_search' }] })).text)[1];
    expect(search).toMatchObject({
      item: {
        type: 'tool_search_call',
        execution: 'client',
        arguments: { query: expect.stringContaining('web__get') },
      },
    });
    const loaded = {
      type: 'tool_search_output',
      tools: [
        {
          type: 'namespace',
          name: 'mcp__akmatori',
          tools: [{ type: 'function', name: 'web__get' }],
        },
      ],
    };
    expect(
      frames((await post({ tools: [{ type: 'tool_search' }], input: [loaded] })).text)[1],
    ).toMatchObject({
      item: { type: 'function_call', namespace: 'mcp__akmatori', name: 'web__get' },
    });
    expect(frames((await post({})).text)[1]).toMatchObject({ item: { type: 'message' } });
  });

  it('fails with a 400 that says why when the script cannot be played or has run out', async () => {
    model = await startScriptedModel([[mcp('akmatori', 'missing')], [shell('ls')]]);
    expect(await post({ tools: [] })).toMatchObject({
      status: 400,
      text: expect.stringContaining('MCP tool mcp__akmatori/missing is not offered'),
    });
    expect(await post({ tools: [] })).toMatchObject({
      status: 400,
      text: expect.stringContaining('no shell tool offered'),
    });
    expect(await post({})).toMatchObject({
      status: 400,
      text: expect.stringContaining('no turn left for request #3'),
    });
  });

  it('answers an error step with its status and body', async () => {
    model = await startScriptedModel([[error(503, { error: { message: 'overloaded' } })]]);
    expect(await post({})).toEqual({ status: 503, text: '{"error":{"message":"overloaded"}}' });
  });
});

describe('reading recorded requests', () => {
  it('finds the last function call output, as text whether a string or parts', async () => {
    model = await startScriptedModel([[message('a')], [message('b')], [message('c')]]);
    await post({
      input: [{ type: 'function_call_output', call_id: 'c1', output: 'Output:\nhi\n' }],
    });
    expect(outputText(lastFunctionCallOutput(model.requests))).toBe('Output:\nhi\n');
    await post({
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
        {
          type: 'function_call_output',
          call_id: 'c2',
          output: [
            { type: 'input_text', text: 'Wall time: 0.1s' },
            { type: 'input_text', text: 'echoed' },
          ],
        },
      ],
    });
    const output = lastFunctionCallOutput(model.requests);
    expect(Array.isArray(output)).toBe(true);
    expect(outputText(output)).toBe('Wall time: 0.1s\nechoed');
    expect(inputMessages(model.requests[1]!)).toEqual([{ role: 'user', text: 'go' }]);
    await post({ input: [] });
    expect(outputText(lastFunctionCallOutput(model.requests))).toBe('Wall time: 0.1s\nechoed');
  });
});
