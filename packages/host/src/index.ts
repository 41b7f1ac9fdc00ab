/**
 * `@akmatori/host`: what runs plugins rather than what plugins are written against. The
 * configuration (`loadConfig` and its schema), secret encryption at rest (`SecretBox`), the
 * storage layer (PostgreSQL or embedded PGlite through knex, the migrations and the
 * repositories), plugin package loading, the app-factory types and the composition root's
 * tokens. The app and the gateway's store use it; plugins need only `@akmatori/core`.
 */
export { HostErrors } from './errors/catalog.js';
export { configEnvironment, configSchema, type ConfigKey } from './config/config-schema.js';
export { loadConfig, type LoadConfigOptions } from './config/load-config.js';
export type { PluginSpec, ResolvedConfig } from './config/resolved-config.js';
export type {
  AppBootOptions,
  AppFactory,
  BootedApp,
  InjectRequest,
  InjectResponse,
} from './app-factory.js';
export { loadPlugins, type ModuleImporter } from './plugins/load-plugins.js';
export { generateSecretKey, SecretBox, secretKeyId, type SecretKey } from './secrets/secret-box.js';
export {
  decodeSecretKey,
  openSecretBox,
  secretKeyFileName,
  type SecretKeySettings,
} from './secrets/secret-keys.js';
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
export { openPostgres, type PostgresOptions } from './storage/postgres.js';
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
  EvalScorecardRepository,
  type EvalCheckOutcome,
  type EvalResultRecord,
  type EvalRunRecord,
  type EvalTotals,
  type ModelScorecard,
  type SkillAttempt,
  type SkillVersionScorecard,
} from './storage/repositories/eval-scorecard-repository.js';
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
