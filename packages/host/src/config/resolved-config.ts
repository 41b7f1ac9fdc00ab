import type { LogLevel } from '@akmatori/core';

/** A plugin package to load, with the options its factory receives. */
export interface PluginSpec {
  /** npm package name (or a path) to import. */
  readonly package: string;
  /** Options passed when the package exports a plugin factory. */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Akmatori's configuration after validation: defaults applied, paths absolute, deeply frozen.
 * Produced once at start by `loadConfig`; nothing mutates it afterwards.
 */
export interface ResolvedConfig {
  /** TCP port the API listens on (0 picks a free port). */
  readonly port: number;
  /** Interface the API binds to. */
  readonly host: string;
  /** URL users and senders reach Akmatori at. */
  readonly publicUrl: string;
  /** PostgreSQL connection string; undefined selects the embedded database. */
  readonly databaseUrl: string | undefined;
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  /** Absolute path of the skills directory. */
  readonly skillsDir: string;
  /** Admin password from the environment, if set. */
  readonly adminPassword: string | undefined;
  /** Encryption key for secrets at rest, if given (else a key file in the data dir). */
  readonly secretKey: string | undefined;
  /** Older keys accepted for decryption during rotation. */
  readonly previousSecretKeys: readonly string[];
  /** How long a login session lasts without use, in seconds (each use renews it). */
  readonly sessionTtlSeconds: number;
  /** The longest a login session lasts after login, in seconds. */
  readonly sessionMaxAgeSeconds: number;
  /** Failed logins allowed per account within the login window. */
  readonly loginRateLimit: number;
  /** Failed logins and setups allowed per client address within the login window. */
  readonly loginAddressRateLimit: number;
  /** Seconds a failed login or setup counts against its limits. */
  readonly loginRateWindowSeconds: number;
  /** Largest API request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Largest webhook body, in bytes. */
  readonly webhookBodyLimitBytes: number;
  /** Browser origins allowed to call the API. */
  readonly corsOrigins: readonly string[];
  /** Reverse proxies in front of the API whose X-Forwarded-For entries are believed (0: none). */
  readonly trustedProxyHops: number;
  /** Whether pending migrations run at start. */
  readonly migrateOnStart: boolean;
  /** Minimum log level. */
  readonly logLevel: LogLevel;
  /** TCP port the MCP gateway listens on (0 picks a free port). */
  readonly gatewayPort: number;
  /** Interface the MCP gateway binds to. */
  readonly gatewayHost: string;
  /** URL workers and MCP clients reach the gateway at. */
  readonly gatewayUrl: string;
  /** Whether `akmatori serve` runs the gateway in its own process. */
  readonly gatewayInProcess: boolean;
  /** Host header values the gateway answers to. */
  readonly gatewayAllowedHosts: readonly string[];
  /** PostgreSQL URL the standalone gateway connects with (its restricted role). */
  readonly gatewayDatabaseUrl: string | undefined;
  /** Seconds a write action waits for an operator. */
  readonly approvalTimeoutSeconds: number;
  /** Seconds a tool call may take, approval wait included. */
  readonly toolCallTimeoutSeconds: number;
  /** `akmatori worker` only: its own worker token (created with `POST /api/workers/tokens`). */
  readonly workerToken: string | undefined;
  /** Bearer token `GET /metrics` requires, if set (else `/metrics` is open). */
  readonly metricsToken: string | undefined;
  /** Whether `akmatori serve` starts a worker child process. */
  readonly embeddedWorker: boolean;
  /** Runs one worker carries out at once. */
  readonly workerCapacity: number;
  /** URL a worker reaches the API at. */
  readonly apiUrl: string;
  /** Absolute path of a worker's run workspaces (never inside the data directory). */
  readonly runsDir: string;
  /** How a worker contains the agent: a bubblewrap sandbox per run, or its own container. */
  readonly agentSandbox: 'bwrap' | 'container';
  /** Seconds a run may take. */
  readonly runDeadlineSeconds: number;
  /** Seconds between runs of the retention job (one run per period across replicas). */
  readonly retentionIntervalSeconds: number;
  /** Notifiers that receive incident events, with their config, by notifier id. */
  readonly notifiers: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Plugin packages to load. */
  readonly plugins: readonly PluginSpec[];
  /** Where the configuration came from, for the start-up banner. */
  readonly sources: { readonly file: string | undefined };
}
