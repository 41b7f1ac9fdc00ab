import type { RunTask } from '@akmatori/core';
import type { ToolAnswer } from './gateway-tools.js';
import type { RunbookStep } from './runbook.js';

/** A runbook step and what its tool answered. */
export interface StepResult extends ToolAnswer {
  readonly step: RunbookStep;
}

/** Longest tool output quoted in the report, in characters. */
const MAX_QUOTED = 4_000;

/**
 * The run's report in the sections of Akmatori's final report (Summary, Root cause,
 * Evidence, Actions taken, Recommendations, Confidence). Tool output is quoted in fences, as
 * data; no root cause is claimed, since no model judged the output.
 */
export function runbookReport(task: RunTask, results: readonly StepResult[]): string {
  const failed = results.filter((result) => result.isError).length;
  const evidence = results.map(
    (result) =>
      `- \`${result.step.tool}\` (${result.step.skill}) ${result.isError ? 'failed' : 'answered'}:\n\n${fenced(result.output)}`,
  );
  return [
    '## Summary',
    results.length === 0
      ? 'No runbook applies to this incident: its skills have no references/runbook.json.'
      : `Ran ${results.length} runbook step(s) for ${describeIncident(task)}; ${failed} failed.`,
    '## Root cause',
    'Not determined: a scripted runbook gathers evidence, it does not judge it.',
    '## Evidence',
    evidence.length === 0 ? 'None.' : evidence.join('\n\n'),
    '## Actions taken',
    'None beyond the runbook steps above.',
    '## Recommendations',
    'Read the evidence, or investigate again with an LLM runner.',
    '## Confidence',
    'low',
  ].join('\n');
}

function describeIncident(task: RunTask): string {
  const file = task.contextFiles.find((candidate) => candidate.path === 'incident/incident.json');
  try {
    const data = JSON.parse(Buffer.from(file!.content).toString('utf8')) as {
      incident?: { alert_count?: number };
    };
    return `the incident (${data.incident?.alert_count ?? 0} alert(s))`;
  } catch {
    return 'the incident';
  }
}

function fenced(text: string): string {
  const quoted = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}\n[…]` : text;
  const longest = Math.max(2, ...[...quoted.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${quoted}\n${fence}`;
}
