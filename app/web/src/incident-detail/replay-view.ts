import type { paths } from '../api/schema';

/** A run as `GET /api/incidents/{uuid}/runs` lists it. */
export type IncidentRun =
  paths['/api/incidents/{uuid}/runs']['get']['responses'][200]['content']['application/json']['data'][number];

/** A replay as `POST /api/runs/{uuid}/replay` answers it. */
export type ReplayResult =
  paths['/api/runs/{uuid}/replay']['post']['responses'][200]['content']['application/json'];

/** A tool call as the replay's diff lists it. */
export interface ToolCallView {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** The headings of the report's sections, as the agent writes them. */
const sectionHeadings: Readonly<Record<string, string>> = {
  summary: 'Summary',
  rootCause: 'Root cause',
  evidence: 'Evidence',
  actionsTaken: 'Actions taken',
  recommendations: 'Recommendations',
  confidence: 'Confidence',
};

/**
 * The runs an operator can replay: investigations and follow-ups that ended, one per run
 * however many attempts it took (the API replays the last attempt, whose outcome the run has;
 * a follow-up resumes the session it resumed).
 *
 * @example
 * ```ts
 * replayableRuns(runs.data.value ?? []); // [{ id, attempt: 2, status: 'completed', … }]
 * ```
 */
export function replayableRuns(runs: readonly IncidentRun[]): IncidentRun[] {
  const ended = (run: IncidentRun): boolean =>
    run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled';
  return runs.filter((run, index) => {
    if (!ended(run)) return false;
    // An attempt a later attempt of the same run replaced (its worker was lost) is not offered.
    const sameRun = (other: IncidentRun): boolean =>
      other.kind === run.kind && other.prompt === run.prompt;
    const next = runs.slice(index + 1).find(sameRun);
    return next === undefined || next.attempt !== run.attempt + 1;
  });
}

/**
 * How a run is named in the replay's choice: investigation or follow-up, when it started, how
 * it ended and, when its worker was lost, its attempts.
 *
 * @example
 * ```ts
 * runLabel(run); // 'Investigation of 2026-12-06 01:20 UTC · completed · 2 attempts'
 * ```
 */
export function runLabel(run: IncidentRun): string {
  const when = (run.started_at ?? run.created_at).slice(0, 16).replace('T', ' ');
  const attempts = run.attempt > 1 ? ` · ${run.attempt} attempts` : '';
  const what = run.kind === 'follow_up' ? 'Follow-up' : 'Investigation';
  return `${what} of ${when} UTC · ${run.status}${attempts}`;
}

/**
 * A tool call as one line: the tool and its arguments as JSON.
 *
 * @example
 * ```ts
 * toolCallText({ name: 'web__execute_command', arguments: { command: 'df -h' } });
 * // 'web__execute_command {"command":"df -h"}'
 * ```
 */
export function toolCallText(call: ToolCallView): string {
  return `${call.name} ${JSON.stringify(call.arguments)}`;
}

/**
 * The heading of a report section (`rootCause` → `Root cause`).
 *
 * @example
 * ```ts
 * sectionHeading('actionsTaken'); // 'Actions taken'
 * ```
 */
export function sectionHeading(section: string): string {
  return sectionHeadings[section] ?? section;
}

/**
 * The line that says what was replayed and how it went.
 *
 * @example
 * ```ts
 * replayOutcome(result); // 'Attempt 2 of 2 replayed from its recording: completed'
 * ```
 */
export function replayOutcome(result: ReplayResult): string {
  const { replayed, replay } = result;
  const which =
    replayed.attempts > 1 ? `Attempt ${replayed.attempt} of ${replayed.attempts}` : 'The run';
  const how =
    result.mode === 'recorded'
      ? 'from its recording'
      : `with the configured model and the skills ${result.skills_from === 'current' ? 'as they are now' : 'as the run had them'}`;
  return `${which} replayed ${how}: ${replay.status}${replay.error === null ? '' : ` (${replay.error})`}`;
}
