import { describe, expect, it } from 'vitest';
import { tabAfterKey } from './detail-tabs';

const tabs = ['timeline', 'report', 'alerts', 'tool-calls'] as const;

describe('tabAfterKey', () => {
  it('steps with the arrows, wrapping at both ends', () => {
    expect(tabAfterKey(tabs, 'timeline', 'ArrowRight')).toBe('report');
    expect(tabAfterKey(tabs, 'tool-calls', 'ArrowRight')).toBe('timeline');
    expect(tabAfterKey(tabs, 'report', 'ArrowLeft')).toBe('timeline');
    expect(tabAfterKey(tabs, 'timeline', 'ArrowLeft')).toBe('tool-calls');
  });

  it('goes to the first and last tab with Home and End', () => {
    expect(tabAfterKey(tabs, 'alerts', 'Home')).toBe('timeline');
    expect(tabAfterKey(tabs, 'report', 'End')).toBe('tool-calls');
  });

  it('moves nowhere on other keys, or with no tabs', () => {
    expect(tabAfterKey(tabs, 'report', 'Enter')).toBeUndefined();
    expect(tabAfterKey(tabs, 'report', 'ArrowDown')).toBeUndefined();
    expect(tabAfterKey([], 'report' as never, 'ArrowRight')).toBeUndefined();
  });
});
