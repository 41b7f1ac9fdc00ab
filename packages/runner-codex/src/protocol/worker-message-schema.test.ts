import { createAjv, type RunEvent } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { RunOutbox } from '../worker/run-outbox.js';
import { runEventSchema, workerMessageSchema } from './worker-message-schema.js';
import { WORKER_PROTOCOL_VERSION, type WorkerMessage } from './worker-protocol.js';

const ajv = createAjv({ discriminator: true, allowUnionTypes: true });
const validMessage = ajv.compile(workerMessageSchema);
const validEvent = ajv.compile(runEventSchema);

/** Examples of every event type (the compiler insists on each), as the mapper and worker make them. */
const examples: { [T in RunEvent['type']]: Extract<RunEvent, { type: T }>[] } = {
  'run.started': [{ type: 'run.started', sessionId: 'thread-1' }, { type: 'run.started' }],
  'turn.started': [{ type: 'turn.started' }],
  'agent.message': [{ type: 'agent.message', text: 'Looking.', itemId: 'item_0' }],
  'agent.reasoning': [{ type: 'agent.reasoning', text: 'Hmm.', itemId: 'item_1' }],
  'agent.error': [{ type: 'agent.error', message: 'retrying' }],
  'command.started': [{ type: 'command.started', command: 'uptime', itemId: 'item_2' }],
  'command.updated': [
    { type: 'command.updated', command: 'uptime', output: 'up', itemId: 'item_2' },
  ],
  'command.completed': [
    {
      type: 'command.completed',
      command: 'uptime',
      output: 'up 3 days',
      exitCode: 0,
      status: 'completed',
      itemId: 'item_2',
    },
    { type: 'command.completed', command: 'sleep 9', output: '', exitCode: null, status: 'failed' },
  ],
  'tool.started': [
    { type: 'tool.started', callId: 'c1', tool: 'ssh.execute_command', input: { host: 'web-1' } },
  ],
  'tool.completed': [
    {
      type: 'tool.completed',
      callId: 'c1',
      tool: 'ssh.execute_command',
      output: 'ok',
      isError: false,
    },
  ],
  'file.changed': [
    { type: 'file.changed', changes: [{ path: 'notes.md', kind: 'add' }], status: 'completed' },
  ],
  'todo.updated': [{ type: 'todo.updated', items: [{ text: 'check disk', completed: true }] }],
  'web.searched': [{ type: 'web.searched', query: 'nginx 502' }],
  usage: [
    {
      type: 'usage',
      usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 1 },
    },
  ],
  'run.completed': [{ type: 'run.completed', summary: '## Summary\nDone.' }],
  'run.failed': [{ type: 'run.failed', error: 'codex exited with code 1' }],
  'event.unknown': [
    { type: 'event.unknown', raw: { type: 'item.updated', item: { type: 'mcp_tool_call' } } },
    { type: 'event.unknown', raw: 'not json' },
  ],
};
const everyEvent: RunEvent[] = Object.values(examples).flat();

describe('the worker message schema', () => {
  it('accepts every event type a worker sends', () => {
    for (const event of everyEvent) expect(validEvent(event), JSON.stringify(event)).toBe(true);
  });

  it('accepts every message a worker sends', () => {
    const outbox = new RunOutbox('0b7f9d2e-2d5e-4c55-9f0e-7a8f0b1c2d3e');
    const messages: WorkerMessage[] = [
      {
        type: 'hello',
        protocol: WORKER_PROTOCOL_VERSION,
        workerId: 'host-1234-a1b2c3',
        capacity: 2,
        version: '0.1.0',
        running: [outbox.runId],
      },
      { type: 'heartbeat', running: [] },
      { type: 'run.accepted', runId: outbox.runId },
      { type: 'run.rejected', runId: outbox.runId, reason: 'the worker is at capacity (2 runs)' },
      ...everyEvent.map((event) => outbox.add(event)),
      outbox.finish({
        outcome: 'completed',
        sessionId: 'thread-1',
        session: { gzipBase64: 'H4sI' },
      }),
    ];
    for (const message of messages)
      expect(validMessage(message), JSON.stringify(validMessage.errors)).toBe(true);
  });

  it.each([
    ['an unknown type', { type: 'run.steal', runId: 'r1' }],
    ['an unknown field', { type: 'heartbeat', running: [], cpu: 1 }],
    ['a missing field', { type: 'run.accepted' }],
    ['a run id that is a path', { type: 'run.accepted', runId: '../etc' }],
    [
      'a worker id with spaces',
      { type: 'hello', protocol: 1, workerId: 'a b', capacity: 1, version: '', running: [] },
    ],
    [
      'an event of an unknown type',
      {
        type: 'run.event',
        runId: 'r1',
        seq: 1,
        at: '2026-01-01T00:00:00Z',
        event: { type: 'rm.rf' },
      },
    ],
    [
      'an event with a wrong field',
      {
        type: 'run.event',
        runId: 'r1',
        seq: 1,
        at: '2026-01-01T00:00:00Z',
        event: { type: 'agent.message', text: 7 },
      },
    ],
    [
      'seq 0',
      {
        type: 'run.event',
        runId: 'r1',
        seq: 0,
        at: '2026-01-01T00:00:00Z',
        event: { type: 'turn.started' },
      },
    ],
    [
      'a time that is not one',
      { type: 'run.event', runId: 'r1', seq: 1, at: 'yesterday', event: { type: 'turn.started' } },
    ],
    [
      'a session that is not base64',
      {
        type: 'run.finished',
        runId: 'r1',
        outcome: 'completed',
        lastSeq: 0,
        session: { gzipBase64: '<script>' },
      },
    ],
    ['an unknown outcome', { type: 'run.finished', runId: 'r1', outcome: 'won', lastSeq: 0 }],
  ])('refuses %s', (_what, message) => {
    expect(validMessage(message)).toBe(false);
  });
});
