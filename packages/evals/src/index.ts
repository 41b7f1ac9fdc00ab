/**
 * `@akmatori/evals`: the eval harness. Scenarios build real, deliberately broken environments,
 * a real Akmatori investigates their alerts, and deterministic checks score the investigation.
 */
export type {
  BuiltEnvironment,
  EnvironmentKind,
  EnvironmentToolInstance,
} from './environments/environment.js';
export {
  createEnvironmentRegistry,
  environmentSpec,
  type EnvironmentEntry,
  type EnvironmentRegistry,
} from './environments/environment-registry.js';
export { EvalErrors } from './errors.js';
export type {
  EvalApproval,
  EvalCheckResult,
  EvalJudgeSummary,
  EvalJudgeVerdict,
  EvalReport,
  EvalResult,
  EvalRunResult,
  EvalScenarioResult,
  EvalSkillVersion,
  EvalTimelineEntry,
  EvalToolCall,
  EvalTotals,
  EvalUsage,
} from './report/eval-result.js';
export {
  loadScenario,
  loadScenarios,
  type LoadScenarioOptions,
} from './scenarios/scenario-loader.js';
export {
  alertSourceTypes,
  scenarioSchema,
  type ScenarioSourceType,
} from './scenarios/scenario-schema.js';
export type {
  EvidenceExpectation,
  Scenario,
  ScenarioDefinition,
  ScenarioExpectations,
  ScenarioSkill,
  ToolCallPattern,
  WritesExpectation,
} from './scenarios/scenario.js';
export { builtinEnvironmentKinds } from './environments/builtin-environment-kinds.js';
export { deterministicChecks, type InvestigationOutcome } from './checks/deterministic-checks.js';
export { matchesToolCall, toolNameRegex } from './checks/tool-call-pattern.js';
export { akmatoriApi, type AkmatoriApi } from './driver/akmatori-api.js';
export {
  startEvalServer,
  type EvalServer,
  type EvalServerOptions,
} from './driver/akmatori-server.js';
export {
  configureModel,
  runEval,
  totalsOf,
  workerConnected,
  type EvalModel,
  type RunEvalOptions,
} from './driver/eval-run.js';
export {
  buildScenarioEnvironments,
  runScenario,
  stopEnvironments,
  substituteFacts,
  type RunScenarioOptions,
  type ScenarioRunOutcome,
} from './driver/scenario-run.js';
export { escapeHtml, renderHtmlReport } from './report/html-report.js';
export { formatScorecard } from './report/scorecard.js';
export { judgePrompt, judgeRun, type JudgeModel } from './judge/llm-judge.js';
