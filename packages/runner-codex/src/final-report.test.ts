import { describe, expect, it } from 'vitest';
import { defaultInvestigationInstructions, renderAgentsMd } from './agents-md.js';
import {
  finalReportSections,
  finalReportTemplate,
  parseFinalReport,
  type FinalReportField,
} from './final-report.js';

const report = `I looked at the host.

## Summary
web-1's root disk is full, so nginx cannot write logs.

## Root cause
A log rotation job failed on 2024-05-01.

## Evidence
- \`df -h /\` shows 100% used.
- \`journalctl -u logrotate\` shows "error: skipping".

## Actions taken
None

## Recommendations
1. Remove the rotated logs.
2. Fix the logrotate config.

## Confidence
High: the disk usage and the failed job line up in time.`;

describe('parseFinalReport', () => {
  it('reads every section of a report in the requested format', () => {
    expect(parseFinalReport(report)).toEqual({
      summary: "web-1's root disk is full, so nginx cannot write logs.",
      rootCause: 'A log rotation job failed on 2024-05-01.',
      evidence:
        '- `df -h /` shows 100% used.\n- `journalctl -u logrotate` shows "error: skipping".',
      actionsTaken: 'None',
      recommendations: '1. Remove the rotated logs.\n2. Fix the logrotate config.',
      confidence: 'High: the disk usage and the failed job line up in time.',
      confidenceLevel: 'high',
    });
  });

  it('accepts other heading levels, capitalisation, colons and bold lines, and leaves out missing sections', () => {
    const loose = '### SUMMARY:\nDown.\n**Root Cause:**\nDNS.\n# confidence\nlow — guesswork';
    expect(parseFinalReport(loose)).toEqual({
      summary: 'Down.',
      rootCause: 'DNS.',
      confidence: 'low — guesswork',
      confidenceLevel: 'low',
    });
  });

  it('keeps sub-headings inside a section and ignores headings in code blocks', () => {
    const nested = '## Evidence\n### On web-1\n```\n## Summary\n```\ndone\n## Summary\nreal';
    expect(parseFinalReport(nested)).toEqual({
      evidence: '### On web-1\n```\n## Summary\n```\ndone',
      summary: 'real',
    });
  });

  it('reads back the template the default instructions show the agent', () => {
    expect(defaultInvestigationInstructions).toContain(finalReportTemplate);
    const template = parseFinalReport(finalReportTemplate);
    for (const field of Object.keys(finalReportSections) as FinalReportField[]) {
      expect(template[field], `the template has no ${field} section`).toBeTruthy();
    }
    expect(parseFinalReport(renderAgentsMd())).toEqual({});
  });
});
