/**
 * `@akmatori/runner-codex`: runs investigations with the OpenAI Codex CLI. It builds the run
 * workspace (AGENTS.md, skills, context files, a `config.toml` pointing Codex at the MCP
 * gateway for both the model and the tools), drives `codex exec --json`, and maps its JSONL
 * events to core `RunEvent`s. `codexRunner()` puts the pieces together as a core `Runner`;
 * `startWorker()` carries out runs handed out by the API over the worker protocol, each through
 * `codexRunner()` (`assignmentOfTask` / `taskOfAssignment` convert between the Runner contract's
 * task and the protocol's assignment).
 */
export {
  defaultInvestigationInstructions,
  renderAgentsMd,
  type AgentsMdOptions,
  type AgentsMdSection,
} from './agents-md.js';
export { codexExecArguments, type CodexExecArgumentsOptions } from './codex-arguments.js';
export { codexCliVersion, codexEntryPoint, installedCodexVersion } from './codex-binary.js';
export {
  GATEWAY_SERVER_NAME,
  RUN_TOKEN_ENV,
  codexConfig,
  codexConfigDefaults,
  renderCodexConfig,
  type CodexConfigOptions,
} from './codex-config.js';
export {
  codexEnvironment,
  codexEnvironmentNames,
  type CodexEnvironmentOptions,
} from './codex-environment.js';
export { CodexEventMapper, type CodexExit } from './codex-event-mapper.js';
export { CodexRunnerErrors } from './errors.js';
export type { CodexThreadEvent, CodexThreadItem, CodexUsage } from './codex-events.js';
export { CODEX_RUNNER_ID, codexRunner, type CodexRunnerOptions } from './codex-runner.js';
export {
  finalReportSections,
  finalReportTemplate,
  parseFinalReport,
  type FinalReport,
  type FinalReportField,
} from './final-report.js';
export { isProcessGroupAlive } from './process-group.js';
export { runCodex, runCodexDefaults, type CodexRun, type RunCodexOptions } from './run-codex.js';
export {
  prepareRunWorkspace,
  runWorkspacePaths,
  type ContextFile,
  type RunWorkspace,
  type RunWorkspaceOptions,
  type SkillSource,
} from './run-workspace.js';
export type { AgentContainment } from './sandbox/agent-containment.js';
export { findBwrap } from './sandbox/find-bwrap.js';
export { probeAgentSandbox, type SandboxProbe } from './sandbox/probe-agent-sandbox.js';
export { sessionUsageTotals } from './session-usage.js';
export {
  WORKER_PATH,
  WORKER_PROTOCOL_VERSION,
  WorkerCloseCodes,
  workerMessageLimits,
  type ApiMessage,
  type AssignedFile,
  type AssignedSkill,
  type RunAssignment,
  type SessionArchive,
  type WorkerMessage,
} from './protocol/worker-protocol.js';
export { assignmentOfTask, taskOfAssignment } from './protocol/assignment-task.js';
export { runEventSchema, workerMessageSchema } from './protocol/worker-message-schema.js';
export { packSession, restoreSession } from './worker/session-archive.js';
export { startWorker, type RunningWorker } from './worker/start-worker.js';
export type { WorkerOptions } from './worker/worker-options.js';
export { runnerCodexVersion } from './version.js';
