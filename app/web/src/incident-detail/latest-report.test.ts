import { describe, expect, it } from 'vitest';
import { latestReport } from './latest-report';

describe('latestReport', () => {
  it('shows the newest investigation’s report, not a later follow-up’s answer', () => {
    expect(
      latestReport([
        { kind: 'investigation', report_markdown: 'first' },
        { kind: 'investigation', report_markdown: 'second' },
        { kind: 'follow_up', report_markdown: 'answer' },
        { kind: 'investigation', report_markdown: null },
      ]),
    ).toBe('second');
  });

  it('falls back to the newest follow-up when no investigation reported', () => {
    expect(
      latestReport([
        { kind: 'investigation', report_markdown: null },
        { kind: 'follow_up', report_markdown: 'one' },
        { kind: 'follow_up', report_markdown: 'two' },
        { kind: 'follow_up' },
      ]),
    ).toBe('two');
  });

  it('has none when no run reported', () => {
    expect(latestReport([])).toBeUndefined();
    expect(latestReport([{ kind: 'investigation', report_markdown: '' }])).toBeUndefined();
  });
});
