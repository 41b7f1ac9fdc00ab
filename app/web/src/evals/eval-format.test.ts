import { describe, expect, it } from 'vitest';
import { duration, passRate, shortVersion, usd } from './eval-format';

describe('eval figures as the Evals page writes them', () => {
  it('writes pass rates as percentages with one decimal at most', () => {
    expect(passRate(0.75)).toBe('75%');
    expect(passRate(2 / 3)).toBe('66.7%');
  });

  it('writes costs in dollars, and says when there was no price', () => {
    expect(usd(0.0213)).toBe('$0.021');
    expect(usd(0.000042)).toBe('$0.00004');
    expect(usd(0)).toBe('$0.000');
    expect(usd(null)).toBe('no price');
  });

  it('shortens a skill version to 12 hex digits and times to seconds or minutes', () => {
    expect(shortVersion(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
    expect(duration(30_500)).toBe('30.5 s');
    expect(duration(90_000)).toBe('1.5 min');
  });
});
