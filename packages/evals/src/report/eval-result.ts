/**
 * The result of one `akmatori eval run`: what the JSON report holds, what the HTML report and the
 * scorecard are rendered from, and what the database keeps as a scorecard. Plain JSON: every
 * field survives `JSON.stringify`/`JSON.parse`. `schemaVersion` changes when a field changes
 * meaning or goes; new optional fields do not change it.
 *
 * @example
 * ```ts
 * const result: EvalResult = JSON.parse(await readFile('eval-result.json', 'utf8'));
 * for (const scenario of result.scenarios)
 *   console.log(scenario.scenarioId, `${scenario.passed}/${scenario.runs}`);
 * ```
 */
export interface EvalResult {
  readonly schemaVersion: 1;
  /** ISO times the eval run started and ended. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The model the investigations used (as set in the LLM settings). */
  readonly model: string;
  /** The OpenAI-compatible endpoint's origin (no path credentials, never the key). */
  readonly endpoint: string;
  /** The Akmatori version that investigated (`GET /health`). */
  readonly akmatoriVersion: string;
  /** How many times each scenario ran (`--repeat`). */
  readonly repeat: number;
  /** Every skill any scenario enabled, with the hash of its SKILL.md as it ran: a skill "version". */
  readonly skills: readonly EvalSkillVersion[];
  /** One entry per scenario, in the order they ran. */
  readonly scenarios: readonly EvalScenarioResult[];
  /** Sums over every run. */
  readonly totals: EvalTotals;
  /** The optional LLM judge, reported apart from the deterministic checks; null when not run. */
  readonly judge: EvalJudgeSummary | null;
}

/** A skill as it was when the eval ran. */
export interface EvalSkillVersion {
  readonly name: string;
  /** sha256 (hex) of the skill's SKILL.md content. */
  readonly sha256: string;
}

/** Sums over a set of runs. */
export interface EvalTotals {
  readonly runs: number;
  readonly passed: number;
  /** passed / runs, 0 to 1 (0 when there are no runs). */
  readonly passRate: number;
  /** Input + output tokens. */
  readonly tokens: number;
  /** USD; null when the model has no price (then tokens only). */
  readonly costUsd: number | null;
  /** Wall time in milliseconds (for totals: the eval run's, environments included). */
  readonly wallTimeMs: number;
}

/** One scenario: its runs (one per repeat) and their sums. */
export interface EvalScenarioResult {
  readonly scenarioId: string;
  readonly title: string;
  /** The skills the scenario enabled (names, see `EvalResult.skills` for versions). */
  readonly skills: readonly string[];
  /** The tool types its environments offered, e.g. ['ssh', 'prometheus']. */
  readonly toolTypes: readonly string[];
  readonly runs: readonly EvalRunResult[];
  readonly totals: EvalTotals;
}

/** One investigation of one scenario. */
export interface EvalRunResult {
  /** 1-based repeat number. */
  readonly attempt: number;
  /** True when every deterministic check passed. */
  readonly passed: boolean;
  readonly checks: readonly EvalCheckResult[];
  /** The incident the alert opened and its investigation run; null when it never got that far. */
  readonly incidentUuid: string | null;
  readonly runId: string | null;
  /** The run's final status: completed, failed, cancelled; or `not_started` / `harness_error`. */
  readonly status: string;
  /** Why the run or the harness failed, when it did. */
  readonly error: string | null;
  /** The final report's structured fields (null when there was no report). */
  readonly report: EvalReport | null;
  /** The audited tool calls of the incident, oldest first. */
  readonly toolCalls: readonly EvalToolCall[];
  /** The approvals the harness decided during the run. */
  readonly approvals: readonly EvalApproval[];
  /** The run's events: the timeline. */
  readonly timeline: readonly EvalTimelineEntry[];
  readonly usage: EvalUsage;
  /** From the alert's delivery to the investigation's end, milliseconds. */
  readonly wallTimeMs: number;
  /** The LLM judge's verdict on this run, apart from `passed`; null when not judged. */
  readonly judge: EvalJudgeVerdict | null;
}

/** The result of one deterministic check. */
export interface EvalCheckResult {
  /** Stable id: root_cause, evidence, forbidden_tools, writes, budget_tokens, budget_cost, budget_tool_calls, completed. */
  readonly id: string;
  /** What the check asks, in a sentence. */
  readonly title: string;
  readonly passed: boolean;
  /** What was found, in a sentence (why it failed, or what satisfied it). */
  readonly detail: string;
}

/** The final report's sections, as the runner parsed them. */
export interface EvalReport {
  readonly summary: string | null;
  readonly rootCause: string | null;
  readonly evidence: string | null;
  readonly actionsTaken: string | null;
  readonly recommendations: string | null;
  readonly confidence: string | null;
  readonly markdown: string | null;
}

/** One audited tool call, with the output the agent saw (from the run's events) when known. */
export interface EvalToolCall {
  /** The name the agent called, `<instance>__<tool>`. */
  readonly tool: string;
  readonly toolInstanceName: string | null;
  readonly arguments: unknown;
  /** allowed, approved, denied, expired, refused. */
  readonly decision: string;
  /** ok, error, refused. */
  readonly status: string;
  readonly output: string | null;
  readonly error: string | null;
  readonly startedAt: string;
  readonly durationMs: number | null;
}

/** An approval the run asked for and how the harness decided it. */
export interface EvalApproval {
  readonly id: string;
  readonly tool: string;
  readonly summary: string;
  /** approved or denied (by the harness, as the scenario says), or the status it was left in. */
  readonly status: string;
  readonly createdAt: string;
  readonly decidedAt: string | null;
}

/** One timeline entry: a run event in a line. */
export interface EvalTimelineEntry {
  readonly at: string;
  readonly type: string;
  /** A short, plain-text description (untrusted: escape it when rendering). */
  readonly text: string;
}

/** Token usage and cost of a run. */
export interface EvalUsage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  /** Input + output. */
  readonly totalTokens: number;
  readonly costUsd: number | null;
  /** Tool calls the agent attempted (audit rows). */
  readonly toolCalls: number;
}

/** The LLM judge's verdict on one run. */
export interface EvalJudgeVerdict {
  /** 0 to 1. */
  readonly score: number;
  readonly rationale: string;
}

/** The LLM judge over the whole eval run. */
export interface EvalJudgeSummary {
  readonly model: string;
  readonly meanScore: number;
  readonly judgedRuns: number;
}
