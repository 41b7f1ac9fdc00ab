import type { RunEvent } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { workerMessageLimits } from '../protocol/worker-protocol.js';
import { boundedEventMessage } from './bounded-event.js';
import { RunOutbox } from './run-outbox.js';

const message = (event: RunEvent) =>
  ({ type: 'run.event', runId: 'r1', seq: 7, at: '2026-01-02T03:04:05.000Z', event }) as const;
const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('an event over the size limit of the worker protocol', () => {
  it('is sent unchanged when it fits', () => {
    const small = message({ type: 'agent.message', text: 'hello' });
    expect(boundedEventMessage(small, 1024)).toBe(small);
  });

  it('keeps the start and the end of its longest text, with a marker, and fits', () => {
    const output = `FIRST LINE\n${'x'.repeat(50_000)}\nLAST LINE`;
    const big = message({
      type: 'command.completed',
      command: 'cat big.log',
      output,
      exitCode: 0,
      status: 'completed',
      itemId: 'item_1',
    });

    const sent = boundedEventMessage(big, 10_000);

    expect(bytes(sent), 'the shortened message is still over the limit').toBeLessThanOrEqual(
      10_000,
    );
    const event = sent.event as Extract<RunEvent, { type: 'command.completed' }>;
    expect(event.command).toBe('cat big.log');
    expect(event.output.startsWith('FIRST LINE\n')).toBe(true);
    expect(event.output.endsWith('\nLAST LINE')).toBe(true);
    expect(event.output).toMatch(
      /characters cut: the event was over the worker protocol's size limit/,
    );
    expect({ ...sent, event: undefined }).toEqual({ ...big, event: undefined });
    expect((big.event as { output: string }).output, 'the original event was changed').toBe(output);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const sent = boundedEventMessage(
      message({ type: 'agent.message', text: '😀'.repeat(20_000) }),
      8_000,
    );
    const text = (sent.event as { text: string }).text;
    expect(bytes(sent)).toBeLessThanOrEqual(8_000);
    expect(text).not.toMatch(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    );
  });

  it('becomes an agent.error naming it when no string is long enough to cut', () => {
    const items = Array.from({ length: 2_000 }, (_, i) => ({
      text: `step ${i}`,
      completed: false,
    }));
    const sent = boundedEventMessage(message({ type: 'todo.updated', items }), 4_096);
    expect(sent.event).toEqual({
      type: 'agent.error',
      message: expect.stringMatching(
        /^a todo\.updated event of \d+ bytes was dropped: it is over the worker protocol's limit of 4096 bytes$/,
      ),
    });
    expect(sent.seq).toBe(7);
  });

  it('is shortened by the run outbox before it is kept or sent', () => {
    const outbox = new RunOutbox('r1');
    const sent = outbox.add({
      type: 'tool.completed',
      callId: 'c1',
      tool: 'ssh.execute_command',
      output: 'y'.repeat(workerMessageLimits.maxEventBytes + 10),
      isError: false,
    });
    expect(bytes(sent)).toBeLessThanOrEqual(workerMessageLimits.maxEventBytes);
    expect(outbox.unacknowledged()).toEqual([sent]);
  });
});
