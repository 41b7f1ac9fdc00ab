import { describe, expect, it } from 'vitest';
import { formatAge } from './age';

describe('formatAge', () => {
  const now = new Date('2026-12-05T12:00:00Z');

  it.each([
    ['2026-12-05T11:59:18Z', '< 1 min'],
    ['2026-12-05T11:59:00Z', '1 min'],
    ['2026-12-05T11:55:00Z', '5 min'],
    ['2026-12-05T09:00:00Z', '3 h'],
    ['2026-12-04T00:00:00Z', '36 h'],
    ['2026-12-01T12:00:00Z', '4 d'],
  ])('reads %s as %s', (since, shown) => {
    expect(formatAge(since, now)).toBe(shown);
  });

  it('never shows a negative age when the browser clock is behind the server', () => {
    expect(formatAge('2026-12-05T12:00:05Z', now)).toBe('< 1 min');
  });
});
