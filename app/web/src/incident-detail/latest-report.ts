/** What {@link latestReport} reads of a run. */
export interface RunReport {
  readonly kind: string;
  readonly report_markdown?: string | null;
}

/**
 * The report to show for an incident: the newest investigation's, so a follow-up's short
 * answer (it shows in the timeline) does not hide the root cause; a follow-up's only when no
 * investigation reported. `runs` are oldest first, as the API lists them.
 *
 * @example
 * ```ts
 * latestReport([
 *   { kind: 'investigation', report_markdown: '## Root cause…' },
 *   { kind: 'follow_up', report_markdown: 'Yes, still filling.' },
 * ]); // '## Root cause…'
 * ```
 */
export function latestReport(runs: readonly RunReport[]): string | undefined {
  const reported = [...runs].reverse().filter((run) => (run.report_markdown ?? '') !== '');
  return (
    (reported.find((run) => run.kind === 'investigation') ?? reported[0])?.report_markdown ??
    undefined
  );
}
