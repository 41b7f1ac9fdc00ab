import { describe, expect, it } from 'vitest';
import {
  canTransition,
  incidentStates,
  incidentStateTransitions,
  incidentStatuses,
  statesLeadingTo,
  statusesLeadingTo,
} from './lifecycle.js';

describe('the incident lifecycle', () => {
  it('starts investigations only from pending, or again after completion or failure', () => {
    expect(statusesLeadingTo('investigating').sort()).toEqual(['completed', 'failed', 'pending']);
  });

  it('ends investigations as completed, failed or cancelled', () => {
    expect(canTransition('investigating', 'completed')).toBe(true);
    expect(canTransition('investigating', 'failed')).toBe(true);
    expect(canTransition('investigating', 'cancelled')).toBe(true);
  });

  it('never skips the investigation, and leaves cancelled only to be queued again', () => {
    expect(canTransition('pending', 'completed')).toBe(false);
    expect(canTransition('pending', 'failed')).toBe(false);
    for (const to of incidentStatuses)
      expect(canTransition('cancelled', to), `cancelled → ${to}`).toBe(to === 'pending');
  });

  it('queues any investigation again by hand, whatever it ended as', () => {
    expect(statusesLeadingTo('pending').sort()).toEqual([
      'cancelled',
      'completed',
      'failed',
      'investigating',
    ]);
  });

  it('allows no self-transitions', () => {
    for (const status of incidentStatuses) expect(canTransition(status, status)).toBe(false);
  });
});

describe("the incident's own state", () => {
  it('goes open → acknowledged → resolved, or straight to resolved', () => {
    expect(incidentStates).toEqual(['open', 'acknowledged', 'resolved']);
    expect(statesLeadingTo('acknowledged')).toEqual(['open']);
    expect(statesLeadingTo('resolved')).toEqual(['open', 'acknowledged']);
  });

  it('is reopened only from resolved', () => {
    expect(statesLeadingTo('open')).toEqual(['resolved']);
  });

  it('allows no self-transitions', () => {
    for (const state of incidentStates)
      expect(incidentStateTransitions[state]).not.toContain(state);
  });
});
