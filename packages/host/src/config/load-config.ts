import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CoreErrors, createAjv, describeSchemaErrors } from '@akmatori/core';
import { HostErrors } from '../errors/catalog.js';
import { configEnvironment, configSchema, type ConfigKey } from './config-schema.js';
import type { PluginSpec, ResolvedConfig } from './resolved-config.js';
import { retiredSettings } from './retired-settings.js';

/** Where {@link loadConfig} reads from. Every field is optional; defaults are the process's own. */
export interface LoadConfigOptions {
  /** Environment variables. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Config file (JSON or YAML). Default: `AKMATORI_CONFIG` from `env`, else none. */
  file?: string;
  /** Directory relative paths resolve against. Default `process.cwd()`. */
  cwd?: string;
  /** Values that win over file and environment (used by tests and the CLI). */
  overrides?: Partial<Record<ConfigKey, unknown>>;
}

const validate = createAjv({ coerceTypes: true, useDefaults: true }).compile(configSchema);

/**
 * Reads configuration from an optional file and the environment (which wins), validates it
 * once, and returns it resolved and frozen. Invalid settings raise `AKM_CONFIG_INVALID`
 * listing every problem by the name the user wrote it under.
 *
 * @example
 * ```ts
 * const config = loadConfig({ env: { PORT: '9090' } });
 * config.port; // 9090
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? nonEmpty(env.AKMATORI_CONFIG);
  const raw: Record<string, unknown> =
    file === undefined ? {} : readConfigFile(path.resolve(cwd, file));
  const fromFile = new Set(Object.keys(raw));

  const envProblems: string[] = [];
  for (const [key, { name, list, json }] of Object.entries(configEnvironment)) {
    const value = nonEmpty(env[name]);
    if (value === undefined) continue;
    if (json) {
      try {
        raw[key] = JSON.parse(value);
      } catch {
        envProblems.push(`${name} must be JSON`);
      }
    } else {
      raw[key] = list ? splitList(value) : value;
    }
    fromFile.delete(key);
  }
  Object.assign(raw, options.overrides ?? {});
  for (const { key, env: name, instead } of retiredSettings) {
    if (nonEmpty(env[name]) !== undefined)
      envProblems.push(`${name} is no longer read: ${instead}`);
    if (key in raw) envProblems.push(`${key} is no longer read: ${instead}`);
  }
  if (envProblems.length > 0) throw CoreErrors.AKM_CONFIG_INVALID({ problems: envProblems });

  if (!validate(raw)) {
    const label = (instancePath: string): string => {
      const key = instancePath.split('/')[1] as ConfigKey | undefined;
      if (key === undefined) return '(config)';
      const env = configEnvironment[key]?.name;
      const rest = instancePath.split('/').slice(2).join('.');
      const where = fromFile.has(key) || env === undefined ? key : env;
      return rest === '' ? where : `${where}[${rest}]`;
    };
    throw CoreErrors.AKM_CONFIG_INVALID({ problems: describeSchemaErrors(validate.errors, label) });
  }
  return resolve(raw, cwd, file);
}

/**
 * The runs directory: the setting, else `<data dir>-runs` beside the data directory. Run
 * workspaces never live inside the data directory (nor it inside them): what the agent's
 * workspace holds must be far from the keys and the database.
 */
function runsDirectory(raw: Record<string, unknown>, cwd: string): string {
  const dataDir = path.resolve(cwd, raw.dataDir as string);
  const runsDir =
    raw.runsDir === undefined
      ? path.join(path.dirname(dataDir), `${path.basename(dataDir)}-runs`)
      : path.resolve(cwd, raw.runsDir as string);
  const inside = (child: string, parent: string): boolean =>
    child === parent || child.startsWith(`${parent}${path.sep}`);
  if (inside(runsDir, dataDir) || inside(dataDir, runsDir)) {
    throw CoreErrors.AKM_CONFIG_INVALID({
      problems: [
        `AKMATORI_RUNS_DIR (${runsDir}) must be outside AKMATORI_DATA_DIR (${dataDir}) and not contain it: run workspaces are kept away from the keys and the database`,
      ],
    });
  }
  return runsDir;
}

function resolve(
  raw: Record<string, unknown>,
  cwd: string,
  file: string | undefined,
): ResolvedConfig {
  const port = raw.port as number;
  const host = raw.host as string;
  const browserHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const config: Omit<ResolvedConfig, 'apiUrl'> = {
    port,
    host,
    publicUrl: ((raw.publicUrl as string | undefined) ?? `http://${browserHost}:${port}`).replace(
      /\/+$/,
      '',
    ),
    databaseUrl: raw.databaseUrl as string | undefined,
    dataDir: path.resolve(cwd, raw.dataDir as string),
    skillsDir: path.resolve(
      cwd,
      (raw.skillsDir as string | undefined) ?? path.join(raw.dataDir as string, 'skills'),
    ),
    adminPassword: raw.adminPassword as string | undefined,
    secretKey: raw.secretKey as string | undefined,
    previousSecretKeys: raw.previousSecretKeys as string[],
    sessionTtlSeconds: raw.sessionTtlSeconds as number,
    sessionMaxAgeSeconds: raw.sessionMaxAgeSeconds as number,
    loginRateLimit: raw.loginRateLimit as number,
    loginAddressRateLimit: raw.loginAddressRateLimit as number,
    loginRateWindowSeconds: raw.loginRateWindowSeconds as number,
    bodyLimitBytes: raw.bodyLimitBytes as number,
    webhookBodyLimitBytes: raw.webhookBodyLimitBytes as number,
    corsOrigins: raw.corsOrigins as string[],
    trustedProxyHops: raw.trustedProxyHops as number,
    migrateOnStart: raw.migrateOnStart as boolean,
    logLevel: raw.logLevel as ResolvedConfig['logLevel'],
    ...gatewaySettings(raw),
    metricsToken: raw.metricsToken as string | undefined,
    workerToken: raw.workerToken as string | undefined,
    embeddedWorker: raw.embeddedWorker as boolean,
    workerCapacity: raw.workerCapacity as number,
    runsDir: runsDirectory(raw, cwd),
    agentSandbox: raw.agentSandbox as ResolvedConfig['agentSandbox'],
    runDeadlineSeconds: raw.runDeadlineSeconds as number,
    retentionIntervalSeconds: raw.retentionIntervalSeconds as number,
    notifiers: raw.notifiers as Record<string, Record<string, unknown>>,
    plugins: (
      raw.plugins as (string | { package: string; options?: Record<string, unknown> })[]
    ).map((spec): PluginSpec =>
      typeof spec === 'string'
        ? { package: spec, options: {} }
        : { package: spec.package, options: spec.options ?? {} },
    ),
    sources: { file: file === undefined ? undefined : path.resolve(cwd, file) },
  };
  return deepFreeze({
    ...config,
    apiUrl: ((raw.apiUrl as string | undefined) ?? config.publicUrl).replace(/\/+$/, ''),
  });
}

type GatewayConfig = Pick<
  ResolvedConfig,
  | 'gatewayPort'
  | 'gatewayHost'
  | 'gatewayUrl'
  | 'gatewayInProcess'
  | 'gatewayAllowedHosts'
  | 'gatewayDatabaseUrl'
  | 'approvalTimeoutSeconds'
  | 'toolCallTimeoutSeconds'
>;

function gatewaySettings(raw: Record<string, unknown>): GatewayConfig {
  const port = raw.gatewayPort as number;
  const host = raw.gatewayHost as string;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = ((raw.gatewayUrl as string | undefined) ?? `http://${reachable}:${port}`).replace(
    /\/+$/,
    '',
  );
  const urlHost = new URL(url).hostname.toLowerCase();
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  return {
    gatewayPort: port,
    gatewayHost: host,
    gatewayUrl: url,
    gatewayInProcess: raw.gatewayInProcess as boolean,
    gatewayAllowedHosts:
      (raw.gatewayAllowedHosts as string[] | undefined) ??
      (loopback.includes(urlHost) ? loopback : [urlHost]),
    gatewayDatabaseUrl: raw.gatewayDatabaseUrl as string | undefined,
    approvalTimeoutSeconds: raw.approvalTimeoutSeconds as number,
    toolCallTimeoutSeconds: raw.toolCallTimeoutSeconds as number,
  };
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw HostErrors.AKM_CONFIG_FILE_UNREADABLE(
      { path: file, reason: (error as NodeJS.ErrnoException).code ?? String(error) },
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw HostErrors.AKM_CONFIG_FILE_UNREADABLE(
      { path: file, reason: (error as Error).message },
      { cause: error },
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw HostErrors.AKM_CONFIG_FILE_UNREADABLE({
      path: file,
      reason: 'the top level must be an object',
    });
  }
  return { ...(parsed as Record<string, unknown>) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
