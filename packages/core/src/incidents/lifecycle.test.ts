import { describe, expect, it } from 'vitest';
import { canTransition, incidentStatuses, statusesLeadingTo } from './lifecycle.js';

describe('the incident lifecycle', () => {
  it('starts investigations only from pending, or again after completion or failure', () => {
    expect(statusesLeadingTo('investigating').sort()).toEqual(['completed', 'failed', 'pending']);
  });

  it('ends investigations as completed, failed or cancelled', () => {
    expect(canTransition('investigating', 'completed')).toBe(true);
    expect(canTransition('investigating', 'failed')).toBe(true);
    expect(canTransition('investigating', 'cancelled')).toBe(true);
  });

  it('never skips the investigation or leaves cancelled', () => {
    expect(canTransition('pending', 'completed')).toBe(false);
    expect(canTransition('pending', 'failed')).toBe(false);
    for (const to of incidentStatuses) expect(canTransition('cancelled', to)).toBe(false);
  });

  it('allows no self-transitions', () => {
    for (const status of incidentStatuses) expect(canTransition(status, status)).toBe(false);
  });
});
