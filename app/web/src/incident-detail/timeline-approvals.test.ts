import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../live/live-events';
import { timelineItems, type TimelineApproval } from './timeline-items';

function event(
  id: number,
  type: string,
  at: string,
  fields: Record<string, unknown> = {},
): LiveEvent {
  return { id, incident_id: 'inc', run_id: 'run-1', seq: id, type, at, event: { type, ...fields } };
}

function approval(change: Partial<TimelineApproval>): TimelineApproval {
  return {
    id: 'a1',
    run_id: 'run-1',
    status: 'pending',
    summary: 'run "touch /tmp/x" on web-1',
    created_at: '2026-12-05T08:00:02.000Z',
    expires_at: '2026-12-05T08:05:02.000Z',
    decided_at: null,
    decided_by: null,
    reason: null,
    ...change,
  };
}

const events = [
  event(1, 'run.started', '2026-12-05T08:00:00.000Z'),
  event(2, 'agent.message', '2026-12-05T08:00:01.000Z', { text: 'writing' }),
  event(3, 'tool.started', '2026-12-05T08:00:01.500Z', { callId: 't1', tool: 'ssh', input: {} }),
  event(4, 'tool.completed', '2026-12-05T08:00:09.000Z', {
    callId: 't1',
    tool: 'ssh',
    output: 'ok',
  }),
  event(5, 'agent.message', '2026-12-05T08:00:10.000Z', { text: 'done' }),
];

describe('approvals in the timeline', () => {
  it('shows a pending approval where it was asked for, with what would change', () => {
    const items = timelineItems(events, [approval({})]);
    expect(items.map((item) => item.title)).toEqual([
      'Run started',
      'Agent',
      'Tool ssh',
      'Approval asked',
      'Agent',
    ]);
    const asked = items[3]!;
    expect(asked).toMatchObject({ kind: 'approval', status: 'pending', failed: false });
    expect(asked.body).toBe('run "touch /tmp/x" on web-1');
  });

  it('adds who decided and why where it was decided; a denial or expiry reads as failed', () => {
    const items = timelineItems(events, [
      approval({
        id: 'denied',
        status: 'denied',
        decided_at: '2026-12-05T08:00:09.500Z',
        decided_by: 'user:rita',
        reason: 'Not during the sale.',
      }),
    ]);
    const decided = items.find((item) => item.key === 'approval/denied/decided')!;
    expect(items.indexOf(decided)).toBe(4); // after the ask, before the last message
    expect(decided).toMatchObject({
      title: 'Approval denied',
      body: 'Denied by rita',
      detail: 'Not during the sale.',
      failed: true,
    });
    const [expired] = timelineItems([], [approval({ status: 'expired' })]).slice(1);
    expect(expired).toMatchObject({ title: 'Approval expired', failed: true });
    expect(expired!.at).toBe('2026-12-05T08:05:02.000Z');
    const [approved] = timelineItems(
      [],
      [
        approval({
          status: 'approved',
          decided_by: 'api_token:ci',
          decided_at: '2026-12-05T08:00:03.000Z',
        }),
      ],
    ).slice(1);
    expect(approved).toMatchObject({ body: 'Approved by token ci', failed: false });
  });

  it('puts approvals in time order among themselves, after everything that came before', () => {
    const items = timelineItems(events.slice(0, 2), [
      approval({ id: 'late', created_at: '2026-12-05T09:00:00.000Z' }),
      approval({ id: 'early', created_at: '2026-12-05T07:00:00.000Z' }),
    ]);
    expect(items.map((item) => item.key)).toEqual([
      'approval/early/asked',
      'event/1',
      'event/2',
      'approval/late/asked',
    ]);
  });
});
