import { describe, expect, it } from 'vitest';
import { formatTimeLeft } from './time-left';

describe('formatTimeLeft', () => {
  const now = new Date('2026-12-05T12:00:00Z');

  it.each([
    ['2026-12-05T12:00:45Z', '45 s'],
    ['2026-12-05T12:01:00Z', '1 min'],
    ['2026-12-05T12:04:59Z', '4 min'],
    ['2026-12-05T13:00:00Z', '1 h'],
    ['2026-12-05T15:05:00Z', '3 h 5 min'],
    ['2026-12-08T12:00:00Z', '3 d'],
  ])('reads %s as %s left', (until, shown) => {
    expect(formatTimeLeft(until, now)).toBe(shown);
  });

  it('says expired once the time has passed, never a negative time', () => {
    expect(formatTimeLeft('2026-12-05T12:00:00Z', now)).toBe('expired');
    expect(formatTimeLeft('2026-12-05T11:59:00Z', now)).toBe('expired');
  });
});
