import type { RunRecord } from '../runs/run-repository.js';

/** The fields of a run that tell which attempts belong together. */
export type AttemptedRun = Pick<RunRecord, 'id' | 'kind' | 'prompt' | 'attempt'>;

/**
 * The attempts of the run that `runId` is one attempt of, first to last, out of its incident's
 * runs (oldest first). A run whose worker was lost is run again as a new run of the same kind
 * and prompt with the next attempt number; the last attempt is the one whose outcome the run
 * has. Runs of other jobs in between (another follow-up, say) are skipped. Empty when `runId`
 * is not in `runs`.
 *
 * @example
 * ```ts
 * const attempts = attemptsOf(await runs.listByIncident(run.incidentId), run.id);
 * const outcome = attempts.at(-1); // the attempt to replay
 * ```
 */
export function attemptsOf<Run extends AttemptedRun>(runs: readonly Run[], runId: string): Run[] {
  const at = runs.findIndex((run) => run.id === runId);
  if (at < 0) return [];
  const sameJob = (a: Run, b: Run): boolean => a.kind === b.kind && a.prompt === b.prompt;
  const attempts = [runs[at]!];
  for (let i = at - 1; i >= 0 && attempts[0]!.attempt > 1; i--)
    if (sameJob(runs[i]!, attempts[0]!) && runs[i]!.attempt === attempts[0]!.attempt - 1)
      attempts.unshift(runs[i]!);
  for (let i = at + 1; i < runs.length; i++) {
    const last = attempts.at(-1)!;
    if (runs[i]!.attempt === 1 && sameJob(runs[i]!, last)) break; // the same question asked again
    if (sameJob(runs[i]!, last) && runs[i]!.attempt === last.attempt + 1) attempts.push(runs[i]!);
  }
  return attempts;
}
