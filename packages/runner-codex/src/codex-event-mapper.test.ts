import { describe, expect, it } from 'vitest';
import { CodexEventMapper } from './codex-event-mapper.js';

const mapAll = (mapper: CodexEventMapper, lines: string[]) =>
  lines.flatMap((line) => mapper.mapLine(line));

// Recorded from `codex exec --json` 0.169 (docs: /work/shared/notes/integration-facts.md §2).
const shellRun = [
  '{"type":"thread.started","thread_id":"01a20aa2-6782-7230-b4b7-e2d47fcd4cdc"}',
  '{"type":"item.completed","item":{"id":"item_0","type":"error","message":"Model metadata for `fake-model` not found. Defaulting to fallback metadata; …"}}',
  '{"type":"turn.started"}',
  '{"type":"item.started","item":{"id":"item_1","type":"command_execution","command":"/bin/bash -lc \'echo hi\'","aggregated_output":"","exit_code":null,"status":"in_progress"}}',
  '{"type":"item.completed","item":{"id":"item_1","type":"command_execution","command":"/bin/bash -lc \'echo hi\'","aggregated_output":"hi\\n","exit_code":0,"status":"completed"}}',
  '{"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"Final answer. Tool said: Chunk ID: 0e177f … Output: hi "}}',
  '{"type":"turn.completed","usage":{"input_tokens":20,"cached_input_tokens":0,"cache_write_input_tokens":0,"output_tokens":10,"reasoning_output_tokens":0}}',
];

const mcpRun = [
  '{"type":"item.started","item":{"id":"item_1","type":"mcp_tool_call","server":"fake","tool":"echo","arguments":{"text":"hello-from-model"},"result":null,"error":null,"status":"in_progress"}}',
  '{"type":"item.completed","item":{"id":"item_1","type":"mcp_tool_call","server":"fake","tool":"echo","arguments":{"text":"hello-from-model"},"result":{"content":[{"type":"text","text":"echo:hello-from-model (client=static-client session=8ec1)"}],"structured_content":null},"error":null,"status":"completed"}}',
];

describe('CodexEventMapper', () => {
  it('maps a recorded shell run to run events, keeping item ids, and completes with the last message', () => {
    const mapper = new CodexEventMapper();
    expect(mapAll(mapper, shellRun)).toEqual([
      { type: 'run.started', sessionId: '01a20aa2-6782-7230-b4b7-e2d47fcd4cdc' },
      {
        type: 'agent.error',
        message: 'Model metadata for `fake-model` not found. Defaulting to fallback metadata; …',
        itemId: 'item_0',
      },
      { type: 'turn.started' },
      { type: 'command.started', command: "/bin/bash -lc 'echo hi'", itemId: 'item_1' },
      {
        type: 'command.completed',
        command: "/bin/bash -lc 'echo hi'",
        output: 'hi\n',
        exitCode: 0,
        status: 'completed',
        itemId: 'item_1',
      },
      {
        type: 'agent.message',
        text: 'Final answer. Tool said: Chunk ID: 0e177f … Output: hi ',
        itemId: 'item_2',
      },
      {
        type: 'usage',
        usage: { inputTokens: 20, cachedInputTokens: 0, outputTokens: 10, reasoningTokens: 0 },
      },
    ]);
    expect(mapper.sessionId).toBe('01a20aa2-6782-7230-b4b7-e2d47fcd4cdc');
    expect(mapper.outcome({ code: 0, signal: null, stderrTail: '' })).toEqual({
      type: 'run.completed',
      summary: 'Final answer. Tool said: Chunk ID: 0e177f … Output: hi ',
    });
  });

  it('maps a recorded MCP call to tool.started and tool.completed named <server>.<tool>', () => {
    expect(mapAll(new CodexEventMapper(), mcpRun)).toEqual([
      {
        type: 'tool.started',
        callId: 'item_1',
        tool: 'fake.echo',
        input: { text: 'hello-from-model' },
        itemId: 'item_1',
      },
      {
        type: 'tool.completed',
        callId: 'item_1',
        tool: 'fake.echo',
        output: 'echo:hello-from-model (client=static-client session=8ec1)',
        isError: false,
        itemId: 'item_1',
      },
    ]);
  });

  it('reports a failed MCP call with its error message', () => {
    const line = JSON.stringify({
      type: 'item.completed',
      item: {
        id: 'item_3',
        type: 'mcp_tool_call',
        server: 'akmatori',
        tool: 'ssh__run',
        arguments: {},
        result: null,
        error: { message: 'tool call timed out' },
        status: 'failed',
      },
    });
    expect(new CodexEventMapper().mapLine(line)).toEqual([
      {
        type: 'tool.completed',
        callId: 'item_3',
        tool: 'akmatori.ssh__run',
        output: 'tool call timed out',
        isError: true,
        itemId: 'item_3',
      },
    ]);
  });

  it('uses the structured content when a tool returned no text, and notes non-text parts', () => {
    const done = (result: unknown) =>
      new CodexEventMapper().mapLine(
        JSON.stringify({
          type: 'item.completed',
          item: {
            id: 'i',
            type: 'mcp_tool_call',
            server: 's',
            tool: 't',
            arguments: {},
            result,
            error: null,
            status: 'completed',
          },
        }),
      )[0];
    expect(done({ content: [], structured_content: { ok: true } })).toMatchObject({
      output: '{"ok":true}',
    });
    expect(
      done({
        content: [
          { type: 'image', data: 'x' },
          { type: 'text', text: 'caption' },
        ],
        structured_content: null,
      }),
    ).toMatchObject({
      output: '[image]\ncaption',
    });
  });

  it('maps file changes, to-do lists, web searches, reasoning and streamed command output', () => {
    const lines = [
      {
        type: 'item.completed',
        item: {
          id: 'a',
          type: 'file_change',
          changes: [{ path: 'notes.md', kind: 'add' }],
          status: 'completed',
        },
      },
      {
        type: 'item.updated',
        item: {
          id: 'b',
          type: 'todo_list',
          items: [
            { text: 'check disk', completed: true },
            { text: 'report', completed: false },
          ],
        },
      },
      { type: 'item.started', item: { id: 'c', type: 'web_search', query: 'disk full' } },
      { type: 'item.completed', item: { id: 'c', type: 'web_search', query: 'disk full' } },
      { type: 'item.completed', item: { id: 'd', type: 'reasoning', text: '**Checking disk**' } },
      {
        type: 'item.updated',
        item: {
          id: 'e',
          type: 'command_execution',
          command: 'df',
          aggregated_output: 'Filesystem',
          exit_code: null,
          status: 'in_progress',
        },
      },
    ].map((line) => JSON.stringify(line));
    expect(mapAll(new CodexEventMapper(), lines)).toEqual([
      {
        type: 'file.changed',
        changes: [{ path: 'notes.md', kind: 'add' }],
        status: 'completed',
        itemId: 'a',
      },
      {
        type: 'todo.updated',
        items: [
          { text: 'check disk', completed: true },
          { text: 'report', completed: false },
        ],
        itemId: 'b',
      },
      { type: 'web.searched', query: 'disk full', itemId: 'c' },
      { type: 'agent.reasoning', text: '**Checking disk**', itemId: 'd' },
      { type: 'command.updated', command: 'df', output: 'Filesystem', itemId: 'e' },
    ]);
  });

  it('keeps unknown events, unknown items and non-JSON lines as event.unknown instead of failing', () => {
    const plan = { type: 'item.completed', item: { id: 'p', type: 'plan', text: 'step 1' } };
    const future = { type: 'thread.renamed', name: 'x' };
    expect(
      mapAll(new CodexEventMapper(), [
        JSON.stringify(plan),
        JSON.stringify(future),
        'not json',
        '[1]',
        '',
      ]),
    ).toEqual([
      { type: 'event.unknown', raw: plan },
      { type: 'event.unknown', raw: future },
      { type: 'event.unknown', raw: 'not json' },
      { type: 'event.unknown', raw: [1] },
    ]);
  });

  it('fails the run with the turn failure, whatever the exit code', () => {
    const mapper = new CodexEventMapper();
    mapper.mapLine(
      '{"type":"turn.failed","error":{"message":"We\'re currently experiencing high demand"}}',
    );
    expect(mapper.outcome({ code: 1, signal: null, stderrTail: 'noise' })).toEqual({
      type: 'run.failed',
      error: "We're currently experiencing high demand",
    });
  });

  it('reads a quoted Responses API error body down to its message and code', () => {
    const mapper = new CodexEventMapper();
    const body = JSON.stringify({
      error: {
        code: 'AKM_GATEWAY_BUDGET_EXCEEDED',
        message: 'the per-run token budget is used up',
      },
    });
    mapper.mapLine(JSON.stringify({ type: 'turn.failed', error: { message: body } }));
    expect(mapper.outcome({ code: 1, signal: null, stderrTail: '' })).toEqual({
      type: 'run.failed',
      error: 'the per-run token budget is used up (AKM_GATEWAY_BUDGET_EXCEEDED)',
    });
    const odd = new CodexEventMapper();
    odd.mapLine(JSON.stringify({ type: 'turn.failed', error: { message: 'bad {not json' } }));
    expect(odd.outcome({ code: 1, signal: null, stderrTail: '' })).toMatchObject({
      error: 'bad {not json',
    });
  });

  it('fails a non-zero exit without turn.failed with the last stream error and the informative stderr lines', () => {
    const mapper = new CodexEventMapper();
    expect(
      mapper.mapLine(
        '{"type":"error","message":"Missing environment variable: `AKMATORI_RUN_TOKEN`."}',
      ),
    ).toEqual([
      { type: 'agent.error', message: 'Missing environment variable: `AKMATORI_RUN_TOKEN`.' },
    ]);
    const stderrTail =
      'WARNING: proceeding, even though we could not create PATH aliases: …\nReading additional input from stdin...\nError: thread/start failed\n';
    expect(mapper.outcome({ code: 1, signal: null, stderrTail })).toEqual({
      type: 'run.failed',
      error:
        'codex exited with code 1: Missing environment variable: `AKMATORI_RUN_TOKEN`.\nError: thread/start failed',
    });
    expect(
      new CodexEventMapper().outcome({ code: null, signal: 'SIGKILL', stderrTail: '' }),
    ).toEqual({
      type: 'run.failed',
      error: 'codex was stopped by SIGKILL',
    });
  });

  it('counts only this run’s tokens when given the thread’s totals before it', () => {
    const mapper = new CodexEventMapper({
      usageBaseline: {
        inputTokens: 30,
        cachedInputTokens: 0,
        outputTokens: 15,
        reasoningTokens: 0,
      },
    });
    const events = mapper.mapLine(
      '{"type":"turn.completed","usage":{"input_tokens":40,"cached_input_tokens":3,"output_tokens":20,"reasoning_output_tokens":2}}',
    );
    expect(events).toEqual([
      {
        type: 'usage',
        usage: { inputTokens: 10, cachedInputTokens: 3, outputTokens: 5, reasoningTokens: 2 },
      },
    ]);
  });
});
