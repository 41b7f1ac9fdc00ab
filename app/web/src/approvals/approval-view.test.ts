import { describe, expect, it } from 'vitest';
import {
  deciderName,
  mayDecide,
  splitApprovals,
  targetHosts,
  type Approval,
} from './approval-view';

function approval(change: Partial<Approval>): Approval {
  return {
    id: 'a',
    created_at: '2026-12-05T12:00:00Z',
    expires_at: '2026-12-05T12:10:00Z',
    details: {},
    incident_id: 'i',
    run_id: 'r',
    status: 'pending',
    summary: 'run "x" on web-1',
    tool: 'ssh',
    tool_instance_id: 't',
    ...change,
  };
}

describe('approval view', () => {
  it('reads the target hosts from the details, whatever else they hold', () => {
    expect(targetHosts(approval({ details: { hosts: ['web-1', 'web-2', 3] } }))).toEqual([
      'web-1',
      'web-2',
    ]);
    expect(targetHosts(approval({ details: { host: 'db-1' } }))).toEqual(['db-1']);
    expect(targetHosts(approval({ details: {} }))).toEqual([]);
  });

  it('names who decided: a user by name, a token as a token, none when it timed out', () => {
    expect(deciderName('user:alice')).toBe('alice');
    expect(deciderName('api_token:ci')).toBe('token ci');
    expect(deciderName(null)).toBe('nobody (timed out)');
  });

  it('lists the pending ones soonest to expire first, the decided ones newest first', () => {
    const { pending, decided } = splitApprovals([
      approval({ id: 'late', expires_at: '2026-12-05T12:30:00Z' }),
      approval({ id: 'old', status: 'denied', decided_at: '2026-12-05T12:01:00Z' }),
      approval({ id: 'soon', expires_at: '2026-12-05T12:05:00Z' }),
      approval({ id: 'new', status: 'approved', decided_at: '2026-12-05T12:02:00Z' }),
    ]);
    expect(pending.map((one) => one.id)).toEqual(['soon', 'late']);
    expect(decided.map((one) => one.id)).toEqual(['new', 'old']);
  });

  it('offers Approve and Deny to responders and admins only', () => {
    expect(mayDecide('viewer')).toBe(false);
    expect(mayDecide('responder')).toBe(true);
    expect(mayDecide('admin')).toBe(true);
    expect(mayDecide(undefined)).toBe(false);
  });
});
