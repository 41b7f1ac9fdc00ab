/**
 * `@akmatori/host/config`: loading and checking Akmatori's configuration, without the storage
 * layer. The worker and the CLI's commands read their configuration through it, so a process
 * that never opens the database does not load knex, pg and PGlite.
 *
 * @packageDocumentation
 */
export { configEnvironment, configSchema, type ConfigKey } from './config-schema.js';
export { loadConfig, type LoadConfigOptions } from './load-config.js';
export type { PluginSpec, ResolvedConfig } from './resolved-config.js';
