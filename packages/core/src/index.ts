/**
 * `@akmatori/core`: the plugin contracts, the plugin host, configuration, logging,
 * secret encryption and storage shared by every Akmatori package.
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
export { configEnvironment, configSchema, type ConfigKey } from './config/config-schema.js';
export { loadConfig, type LoadConfigOptions } from './config/load-config.js';
export type { PluginSpec, ResolvedConfig } from './config/resolved-config.js';
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
  type RunHandle,
  type Runner,
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
export type {
  AppBootOptions,
  AppFactory,
  BootedApp,
  InjectRequest,
  InjectResponse,
} from './host/app-factory.js';
export { loadPlugins, type ModuleImporter } from './host/load-plugins.js';
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
  scrubValue,
} from './logging/secret-scrubber.js';
export { createAjv, describeSchemaErrors } from './schema/ajv.js';
export { generateSecretKey, SecretBox, secretKeyId, type SecretKey } from './secrets/secret-box.js';
export {
  decodeSecretKey,
  openSecretBox,
  secretKeyFileName,
  type SecretKeySettings,
} from './secrets/secret-keys.js';
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
export type { Database, DatabaseBackend } from './storage/database.js';
export type { ChannelListener, NotificationHandlers } from './storage/pg-listener.js';
export { isUuid } from './storage/ids.js';
export type { SqlExecutor, SqlResult } from './storage/sql.js';
export {
  dumpEmbedded,
  embeddedDirName,
  openEmbedded,
  type EmbeddedOptions,
} from './storage/embedded.js';
export { migrations, migrationsTable } from './storage/migrations/index.js';
export type { Migration } from './storage/migrations/migration.js';
export { openDatabase, type DatabaseSettings } from './storage/open-database.js';
export { openPostgres, redactUrl, type PostgresOptions } from './storage/postgres.js';
export {
  AlertEventRepository,
  toPgArray,
  type AlertEventRecord,
  type NewAlertEvent,
  type ReceivedAlert,
} from './storage/repositories/alert-event-repository.js';
export {
  AlertRepository,
  type AlertRecord,
  type NewAlert,
} from './storage/repositories/alert-repository.js';
export {
  AlertSourceRepository,
  type AlertSourceInput,
  type AlertSourceRecord,
} from './storage/repositories/alert-source-repository.js';
export {
  ApiTokenRepository,
  type ApiTokenRecord,
} from './storage/repositories/api-token-repository.js';
export {
  IncidentRepository,
  type CounterOutcome,
  type IncidentFilter,
  type IncidentSort,
  type IncidentRecord,
  type IncidentStateChange,
  type NewIncident,
} from './storage/repositories/incident-repository.js';
export { systemActor } from './storage/repositories/incident-row.js';
export { createRepositories, type Repositories } from './storage/repositories/index.js';
export { SettingsRepository } from './storage/repositories/settings-repository.js';
export {
  UserRepository,
  type UserRecord,
  type UserRole,
} from './storage/repositories/user-repository.js';
export { Tokens, type Token } from './tokens.js';
export { coreVersion } from './version.js';
