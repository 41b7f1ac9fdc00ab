import { describe, expect, it } from 'vitest';
import { RunOutbox } from './run-outbox.js';

const at = new Date('2026-01-02T03:04:05.000Z');

describe('RunOutbox', () => {
  it('numbers the events of a run 1, 2, 3… with the time they were seen', () => {
    const outbox = new RunOutbox('r1');
    expect(outbox.add({ type: 'turn.started' }, at)).toEqual({
      type: 'run.event',
      runId: 'r1',
      seq: 1,
      at: '2026-01-02T03:04:05.000Z',
      event: { type: 'turn.started' },
    });
    expect(outbox.add({ type: 'run.completed', summary: 'ok' }, at).seq).toBe(2);
  });

  it('keeps events until acknowledged, cumulatively', () => {
    const outbox = new RunOutbox('r1');
    for (let i = 0; i < 4; i += 1) outbox.add({ type: 'turn.started' });
    outbox.acknowledge(2);
    outbox.acknowledge(1);
    expect(outbox.unacknowledged().map((m) => (m as { seq: number }).seq)).toEqual([3, 4]);
    outbox.acknowledge(9);
    expect(outbox.acknowledged).toBe(4);
    expect(outbox.drained).toBe(true);
  });

  it('sends run.finished again after the events still owed', () => {
    const outbox = new RunOutbox('r1');
    outbox.add({ type: 'turn.started' });
    outbox.add({ type: 'run.failed', error: 'boom' });
    const finished = outbox.finish({ outcome: 'failed' });
    outbox.acknowledge(1);
    expect(finished).toEqual({ type: 'run.finished', runId: 'r1', outcome: 'failed', lastSeq: 2 });
    expect(outbox.unacknowledged().map((m) => m.type)).toEqual(['run.event', 'run.finished']);
    expect(() => outbox.add({ type: 'turn.started' })).toThrow('run r1 has already finished');
  });
});
