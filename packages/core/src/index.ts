/**
 * `@akmatori/core`: the contract between Akmatori and its plugins. The four plugin kinds
 * and their `define*` helpers, plugin validation, the shared alert and incident types, the
 * helpers alert sources use to read payloads and check webhook credentials, the Agent Skills
 * parser, the error catalog and the logger. No storage, no configuration loading, no
 * encryption: those are the host's (`@akmatori/host`).
 */
export {
  fingerprintOf,
  getPath,
  isTimeZone,
  normalizeSeverity,
  normalizeStatus,
  parseTimestamp,
  text,
  toStringRecord,
} from './alerts/normalize.js';
export { payloadError } from './alerts/payload-error.js';
export {
  basicCredentials,
  bearerMatches,
  bearerToken,
  header,
  hmacSha256Hex,
  secretsEqual,
} from './alerts/webhook-auth.js';
export { systemClock, type Clock } from './clock.js';
export {
  defineAlertAdapter,
  type AdapterSample,
  type AlertAdapter,
  type AlertSourceContext,
  type HeaderCheck,
  type SignatureMatch,
  type WebhookRequest,
} from './contracts/alert-adapter.js';
export {
  alertSeverities,
  type AlertSeverity,
  type AlertStatus,
  type NormalizedAlert,
} from './contracts/alert.js';
export type {
  IncidentActor,
  IncidentEvent,
  IncidentState,
  IncidentStatus,
  IncidentSummary,
} from './contracts/incident.js';
export { defineNotifier, type Notifier, type NotifierContext } from './contracts/notifier.js';
export {
  canTransition,
  incidentStates,
  incidentStateTransitions,
  incidentStatuses,
  incidentTransitions,
  statesLeadingTo,
  statusesLeadingTo,
} from './incidents/lifecycle.js';
export { definePlugin, type AkmatoriPlugin, type PluginModuleExport } from './contracts/plugin.js';
export {
  defineRunner,
  type FileChange,
  type RunContext,
  type RunEvent,
  type RunFile,
  type RunGateway,
  type RunHandle,
  type Runner,
  type RunSession,
  type RunSkill,
  type RunTask,
  type TodoEntry,
  type TokenUsage,
} from './contracts/runner.js';
export {
  defineSchema,
  emptyObjectSchema,
  secretFields,
  type ObjectSchema,
  type SchemaProperty,
  type SchemaValue,
} from './contracts/schema.js';
export {
  destinationBoundSecrets,
  destinationChanges,
  type DestinationChange,
} from './contracts/secret-destinations.js';
export {
  defineToolProvider,
  type ToolContext,
  type ToolDefinition,
  type ToolProvider,
  type ToolResult,
  type WriteAction,
  type ApprovalDecision,
} from './contracts/tool-provider.js';
export {
  AkmatoriError,
  defineErrorCatalog,
  isAkmatoriError,
  type ErrorFactory,
  type ErrorOptions,
  type ErrorSpec,
} from './errors/akmatori-error.js';
export { CoreErrors } from './errors/catalog.js';
export {
  PluginHost,
  type PluginHostOptions,
  type RegisteredPlugin,
  type SchemaCheck,
} from './host/plugin-host.js';
export type { ContributionKind } from './host/plugin-validation.js';
export {
  commandFieldNames,
  createLogger,
  redactedFieldNames,
  redactionPaths,
  silentLogger,
  type CreateLoggerOptions,
  type Logger,
  type LogLevel,
} from './logging/logger.js';
export {
  SCRUBBED,
  scrubCommand,
  scrubCommandValue,
  scrubSecrets,
  scrubUrlPassword,
  scrubValue,
} from './logging/secret-scrubber.js';
export { createAjv, describeSchemaErrors } from './schema/ajv.js';
export {
  parseSkill,
  skillBodyLineLimit,
  type InvalidSkill,
  type ParsedSkill,
  type ParseSkillOptions,
  type SkillParseMode,
  type ValidSkill,
} from './skills/parse-skill.js';
export {
  readSkillDirectory,
  skillFileNames,
  type ReadSkillDirectoryOptions,
  type SkillDirectory,
  type SkillResources,
} from './skills/read-skill-directory.js';
export { renderSkill, type SkillSource } from './skills/render-skill.js';
export {
  skillFrontmatterFields,
  type SkillFrontmatter,
  type SkillProblem,
} from './skills/skill-frontmatter.js';
export {
  validateSkillDirectories,
  type SkillValidationReport,
} from './skills/validate-skill-directories.js';
export { coreVersion } from './version.js';
