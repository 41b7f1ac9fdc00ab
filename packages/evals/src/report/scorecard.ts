import type { EvalResult, EvalTotals } from './eval-result.js';

const percent = (rate: number): string => `${(rate * 100).toFixed(0)} %`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const cost = (usd: number | null): string => (usd === null ? 'n/a' : `$${usd.toFixed(4)}`);
const line = (label: string, totals: EvalTotals): string =>
  `${label}  ${totals.passed}/${totals.runs} passed (${percent(totals.passRate)})  ${totals.tokens} tokens  ${cost(totals.costUsd)}  ${seconds(totals.wallTimeMs)}`;

/** Control characters (terminal escapes among them) of untrusted text, made visible. */
const plain = (text: string): string =>
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/**
 * The scorecard `akmatori eval run` prints: per scenario its pass rate, tokens, cost and time,
 * then each run's checks (✓/✗ with what was found when it failed), then the totals.
 *
 * @example
 * ```ts
 * process.stdout.write(formatScorecard(result));
 * ```
 */
export function formatScorecard(result: EvalResult): string {
  const out: string[] = [
    `Akmatori eval: model ${plain(result.model)} at ${plain(result.endpoint)}, Akmatori ${result.akmatoriVersion}, ${result.scenarios.length} scenario(s) x ${result.repeat}`,
    '',
  ];
  for (const scenario of result.scenarios) {
    out.push(line(scenario.scenarioId, scenario.totals));
    for (const run of scenario.runs) {
      out.push(
        `  run ${run.attempt}: ${run.passed ? 'PASS' : 'FAIL'} (${run.status})  ${run.usage.totalTokens} tokens  ${cost(run.usage.costUsd)}  ${run.usage.toolCalls} tool calls  ${seconds(run.wallTimeMs)}${run.judge === null ? '' : `  judge ${run.judge.score.toFixed(2)}`}`,
      );
      if (run.error !== null && run.checks.length === 0) out.push(`    error: ${plain(run.error)}`);
      for (const check of run.checks)
        out.push(
          `    ${check.passed ? '✓' : '✗'} ${check.id}: ${check.passed ? check.title : plain(check.detail)}`,
        );
    }
  }
  out.push('', line('TOTAL', result.totals));
  if (result.judge !== null)
    out.push(
      `LLM judge (${plain(result.judge.model)}, apart from the checks): mean ${result.judge.meanScore.toFixed(2)} over ${result.judge.judgedRuns} run(s)`,
    );
  return `${out.join('\n')}\n`;
}
