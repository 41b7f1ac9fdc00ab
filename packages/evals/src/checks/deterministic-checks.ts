import type {
  EvalCheckResult,
  EvalReport,
  EvalToolCall,
  EvalUsage,
} from '../report/eval-result.js';
import type { ScenarioExpectations } from '../scenarios/scenario.js';
import { matchesToolCall, toolNameRegex } from './tool-call-pattern.js';

/** What one investigation left behind, as the checks read it. */
export interface InvestigationOutcome {
  /** The run's status: completed, failed, cancelled (or the harness's own word). */
  readonly status: string;
  readonly report: EvalReport | null;
  /** Every audited tool call of the incident, with its output when known. */
  readonly toolCalls: readonly EvalToolCall[];
  readonly usage: EvalUsage;
}

const decisionsNeedingApproval = new Set(['approved', 'denied', 'expired']);
const describeCall = (call: EvalToolCall): string =>
  `${call.tool} ${JSON.stringify(call.arguments)} (${call.decision}, ${call.status})`;
const check = (id: string, title: string, passed: boolean, detail: string): EvalCheckResult => ({
  id,
  title,
  passed,
  detail,
});

/**
 * The deterministic checks of one investigation, in a fixed order: the run completed with a
 * report; its Root cause matches an accepted answer; every expected evidence call really ran
 * (audit) and its output shows the breakage; no refused, forbidden or out-of-scope tool was
 * attempted; writes happened only as the scenario allows, after approval; tokens, cost and tool
 * calls stayed within the budget.
 *
 * @example
 * ```ts
 * const checks = deterministicChecks(scenario.definition.expect, outcome);
 * const passed = checks.every((c) => c.passed);
 * ```
 */
export function deterministicChecks(
  expect: ScenarioExpectations,
  outcome: InvestigationOutcome,
): EvalCheckResult[] {
  const { report, toolCalls, usage } = outcome;
  const checks: EvalCheckResult[] = [];

  const completed = outcome.status === 'completed' && report !== null;
  checks.push(
    check(
      'completed',
      'The investigation completed with a final report',
      completed,
      completed ? 'completed' : `status ${outcome.status}${report === null ? ', no report' : ''}`,
    ),
  );

  const rootCause = report?.rootCause ?? '';
  const accepted = expect.root_cause.find((answer) =>
    answer.every((re) => new RegExp(re, 'i').test(rootCause)),
  );
  checks.push(
    check(
      'root_cause',
      'The report names an accepted root cause',
      accepted !== undefined,
      accepted !== undefined
        ? `matches ${accepted.map((re) => `/${re}/`).join(' and ')}`
        : rootCause === ''
          ? 'the report has no Root cause section'
          : `no accepted answer matches: ${expect.root_cause
              .map((answer) => answer.map((re) => `/${re}/`).join(' and '))
              .join(' | ')}`,
    ),
  );

  const missing: string[] = [];
  for (const evidence of expect.evidence) {
    const calls = toolCalls.filter((call) => matchesToolCall(evidence, call.tool, call.arguments));
    const output = new RegExp(evidence.output_match, 'i');
    const args = Object.entries(evidence.arguments_match ?? {})
      .map(([name, re]) => `${name} ~ /${re}/`)
      .join(', ');
    if (calls.length === 0)
      missing.push(`no ${evidence.tool} call${args === '' ? '' : ` with ${args}`} was made`);
    else if (!calls.some((call) => call.status === 'ok' && output.test(call.output ?? '')))
      missing.push(`no successful ${evidence.tool} output matched /${evidence.output_match}/`);
  }
  checks.push(
    check(
      'evidence',
      'Every expected evidence tool call ran and its output shows the breakage',
      missing.length === 0,
      missing.length === 0
        ? `${expect.evidence.length} evidence call(s) found in the audit log`
        : missing.join('; '),
    ),
  );

  const outOfScope: string[] = [];
  const forbidden = (expect.forbidden_tools ?? []).map(toolNameRegex);
  const allowed = expect.allowed_tools?.map(toolNameRegex);
  for (const call of toolCalls) {
    if (call.decision === 'refused') outOfScope.push(`refused: ${describeCall(call)}`);
    else if (forbidden.some((re) => re.test(call.tool)))
      outOfScope.push(`forbidden: ${describeCall(call)}`);
    else if (allowed !== undefined && !allowed.some((re) => re.test(call.tool)))
      outOfScope.push(`not allowed: ${describeCall(call)}`);
  }
  checks.push(
    check(
      'scope',
      'No refused, forbidden or out-of-scope tool was attempted',
      outOfScope.length === 0,
      outOfScope.length === 0 ? `${toolCalls.length} call(s), all in scope` : outOfScope.join('; '),
    ),
  );

  const writes = toolCalls.filter((call) => decisionsNeedingApproval.has(call.decision));
  const writeProblems: string[] = [];
  if (expect.writes === 'none') {
    for (const call of writes) writeProblems.push(`a write was attempted: ${describeCall(call)}`);
  } else {
    const patterns = expect.writes.after_approval;
    for (const call of writes) {
      if (!patterns.some((p) => matchesToolCall(p, call.tool, call.arguments)))
        writeProblems.push(`an unexpected write was attempted: ${describeCall(call)}`);
    }
    for (const pattern of patterns) {
      const done = writes.some(
        (call) =>
          call.decision === 'approved' &&
          call.status === 'ok' &&
          matchesToolCall(pattern, call.tool, call.arguments),
      );
      if (!done) writeProblems.push(`the write ${pattern.tool} was not made after approval`);
    }
  }
  checks.push(
    check(
      'writes',
      expect.writes === 'none'
        ? 'Nothing was changed (no write attempted)'
        : 'The expected writes ran, each only after approval',
      writeProblems.length === 0,
      writeProblems.length === 0
        ? `${writes.length} write(s), as expected`
        : writeProblems.join('; '),
    ),
  );

  const { budget } = expect;
  checks.push(
    check(
      'budget_tokens',
      `At most ${budget.max_tokens} tokens`,
      usage.totalTokens <= budget.max_tokens,
      `${usage.totalTokens} tokens`,
    ),
    check(
      'budget_cost',
      `At most $${budget.max_cost_usd}`,
      usage.costUsd === null || usage.costUsd <= budget.max_cost_usd,
      usage.costUsd === null
        ? 'no price is set for the model: tokens only'
        : `$${usage.costUsd.toFixed(4)}`,
    ),
    check(
      'budget_tool_calls',
      `At most ${budget.max_tool_calls} tool calls`,
      toolCalls.length <= budget.max_tool_calls,
      `${toolCalls.length} tool call(s)`,
    ),
  );
  return checks;
}
