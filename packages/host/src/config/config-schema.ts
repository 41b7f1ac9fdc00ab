import type { ObjectSchema } from '@akmatori/core';

/**
 * Every setting, its environment variable, and its schema. The config file uses the
 * property names; the environment uses the variable names and wins over the file.
 */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 8080,
      description: 'TCP port the API listens on.',
    },
    host: {
      type: 'string',
      minLength: 1,
      default: 'localhost',
      description: 'Interface the API binds to; 0.0.0.0 in containers.',
    },
    publicUrl: {
      type: 'string',
      format: 'uri',
      description: 'URL users and senders reach Akmatori at; webhook URLs are built from it.',
    },
    databaseUrl: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      secret: true,
      description: 'PostgreSQL connection string. Absent: the embedded database in the data dir.',
    },
    dataDir: {
      type: 'string',
      minLength: 1,
      default: './data',
      description: 'Directory for the embedded database and the generated secret key.',
    },
    skillsDir: {
      type: 'string',
      minLength: 1,
      description: 'Directory of Agent Skills (one folder per skill). Default: <data dir>/skills.',
    },
    adminPassword: {
      type: 'string',
      minLength: 8,
      secret: true,
      description: 'Password of the admin user. Unset on a new install: first-run setup.',
    },
    secretKey: {
      type: 'string',
      minLength: 1,
      secret: true,
      description: '32-byte key (base64 or hex) that encrypts credentials at rest.',
    },
    previousSecretKeys: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: [],
      secret: true,
      description: 'Keys still accepted for decryption during a rotation.',
    },
    sessionTtlSeconds: {
      type: 'integer',
      minimum: 60,
      default: 3600,
      description:
        'How long a login session lasts without use; each use renews it, up to AKMATORI_SESSION_MAX_AGE after login.',
    },
    sessionMaxAgeSeconds: {
      type: 'integer',
      minimum: 60,
      default: 43200,
      description: 'The longest a login session lasts, however busy; then the user logs in again.',
    },
    loginRateLimit: {
      type: 'integer',
      minimum: 1,
      default: 10,
      description:
        'Failed logins allowed per account within the login window; further attempts on that account are refused (429) without checking the password until the oldest failure leaves the window.',
    },
    loginAddressRateLimit: {
      type: 'integer',
      minimum: 1,
      default: 50,
      description:
        'Failed logins and setups allowed per client address (an IPv6 address counts by its /64) within the login window.',
    },
    loginRateWindowSeconds: {
      type: 'integer',
      minimum: 60,
      maximum: 86400,
      default: 900,
      description: 'The login window: how long a failed login or setup counts against its limits.',
    },
    bodyLimitBytes: {
      type: 'integer',
      minimum: 1024,
      default: 1048576,
      description: 'Largest API request body accepted.',
    },
    webhookBodyLimitBytes: {
      type: 'integer',
      minimum: 1024,
      default: 5242880,
      description: 'Largest webhook body accepted from a monitoring system.',
    },
    corsOrigins: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: [],
      description: 'Origins allowed to call the API from a browser. Empty: same origin only.',
    },
    trustedProxyHops: {
      type: 'integer',
      minimum: 0,
      maximum: 16,
      default: 0,
      description:
        'Reverse proxies in front of the API whose X-Forwarded-For entries are believed: 0 takes the client address from the socket; 1 (behind one nginx) takes the last X-Forwarded-For entry; n takes the nth from the end. The API port must be reachable only through those proxies.',
    },
    migrateOnStart: {
      type: 'boolean',
      default: true,
      description: 'Apply pending database migrations when the server starts.',
    },
    logLevel: {
      type: 'string',
      enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
      default: 'info',
      description: 'Minimum log level.',
    },
    gatewayPort: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 8081,
      description: 'TCP port the MCP gateway listens on.',
    },
    gatewayHost: {
      type: 'string',
      minLength: 1,
      default: '127.0.0.1',
      description: 'Interface the MCP gateway binds to; loopback unless workers run elsewhere.',
    },
    gatewayUrl: {
      type: 'string',
      format: 'uri',
      description:
        'URL workers and MCP clients reach the gateway at. Default: from its host and port.',
    },
    gatewayInProcess: {
      type: 'boolean',
      default: true,
      description:
        'Run the gateway inside `akmatori serve`; false when it runs as `akmatori gateway`.',
    },
    gatewayAllowedHosts: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description:
        'Host header values the gateway answers to (DNS-rebinding guard). Default: the gateway URL host.',
    },
    gatewayDatabaseUrl: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      secret: true,
      description:
        "PostgreSQL URL of the gateway's restricted role (`akmatori gateway`). Default: DATABASE_URL.",
    },
    approvalTimeoutSeconds: {
      type: 'integer',
      minimum: 5,
      default: 300,
      description: 'How long a write action waits for an operator before it is refused.',
    },
    toolCallTimeoutSeconds: {
      type: 'integer',
      minimum: 5,
      default: 900,
      description: 'Longest a tool call may take, approval wait included.',
    },
    metricsToken: {
      type: 'string',
      minLength: 16,
      secret: true,
      description:
        'Bearer token GET /metrics requires (compared in constant time). Unset: /metrics answers anyone who can reach the API port.',
    },
    workerToken: {
      type: 'string',
      minLength: 32,
      secret: true,
      description:
        "`akmatori worker` only: this worker's own token (akw_…), created with POST /api/workers/tokens. The API does not read it.",
    },
    embeddedWorker: {
      type: 'boolean',
      default: true,
      description: '`akmatori serve` starts one worker as a child process.',
    },
    workerCapacity: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      default: 2,
      description: 'Runs one worker carries out at once.',
    },
    apiUrl: {
      type: 'string',
      format: 'uri',
      description: 'URL a worker reaches the API at (`akmatori worker`). Default: the public URL.',
    },
    runsDir: {
      type: 'string',
      minLength: 1,
      description:
        "Directory of a worker's run workspaces, outside the data directory. Default: <data dir>-runs beside it.",
    },
    agentSandbox: {
      type: 'string',
      enum: ['bwrap', 'container'],
      default: 'bwrap',
      description:
        "How a worker contains the agent: `bwrap` (a bubblewrap sandbox per run that reaches only the gateway) or `container` (the worker's own container is the sandbox). The embedded worker always uses `bwrap`.",
    },
    runDeadlineSeconds: {
      type: 'integer',
      minimum: 10,
      default: 1800,
      description: 'Longest a run may take before it is stopped and failed.',
    },
    retentionIntervalSeconds: {
      type: 'integer',
      minimum: 60,
      maximum: 604800,
      default: 3600,
      description:
        'How often the retention job prunes old records (once per period across all replicas).',
    },
    notifiers: {
      type: 'object',
      default: {},
      additionalProperties: { type: 'object' },
      description: 'Notifiers to deliver incident events to: {"<notifier id>": {<its config>}}.',
    },
    plugins: {
      type: 'array',
      default: [],
      description: 'Plugin npm packages to load, by name or as {package, options}.',
      items: {
        anyOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            additionalProperties: false,
            required: ['package'],
            properties: {
              package: { type: 'string', minLength: 1 },
              options: { type: 'object' },
            },
          },
        ],
      },
    },
  },
} as const satisfies ObjectSchema;

/** A configuration key. */
export type ConfigKey = keyof typeof configSchema.properties;

/** How each setting is read from the environment. */
export const configEnvironment: Readonly<
  Record<ConfigKey, { name: string; list?: true; json?: true }>
> = Object.freeze({
  port: { name: 'PORT' },
  host: { name: 'HOST' },
  publicUrl: { name: 'AKMATORI_PUBLIC_URL' },
  databaseUrl: { name: 'DATABASE_URL' },
  dataDir: { name: 'AKMATORI_DATA_DIR' },
  skillsDir: { name: 'AKMATORI_SKILLS_DIR' },
  adminPassword: { name: 'ADMIN_PASSWORD' },
  secretKey: { name: 'AKMATORI_SECRET_KEY' },
  previousSecretKeys: { name: 'AKMATORI_SECRET_KEY_PREVIOUS', list: true },
  sessionTtlSeconds: { name: 'AKMATORI_SESSION_TTL' },
  sessionMaxAgeSeconds: { name: 'AKMATORI_SESSION_MAX_AGE' },
  loginRateLimit: { name: 'AKMATORI_LOGIN_RATE_LIMIT' },
  loginAddressRateLimit: { name: 'AKMATORI_LOGIN_ADDRESS_RATE_LIMIT' },
  loginRateWindowSeconds: { name: 'AKMATORI_LOGIN_RATE_WINDOW' },
  bodyLimitBytes: { name: 'AKMATORI_BODY_LIMIT' },
  webhookBodyLimitBytes: { name: 'AKMATORI_WEBHOOK_BODY_LIMIT' },
  corsOrigins: { name: 'AKMATORI_CORS_ORIGINS', list: true },
  trustedProxyHops: { name: 'AKMATORI_TRUSTED_PROXY_HOPS' },
  migrateOnStart: { name: 'AKMATORI_MIGRATE_ON_START' },
  logLevel: { name: 'LOG_LEVEL' },
  gatewayPort: { name: 'GATEWAY_PORT' },
  gatewayHost: { name: 'GATEWAY_HOST' },
  gatewayUrl: { name: 'GATEWAY_URL' },
  gatewayInProcess: { name: 'AKMATORI_GATEWAY_IN_PROCESS' },
  gatewayAllowedHosts: { name: 'GATEWAY_ALLOWED_HOSTS', list: true },
  gatewayDatabaseUrl: { name: 'GATEWAY_DATABASE_URL' },
  approvalTimeoutSeconds: { name: 'AKMATORI_APPROVAL_TIMEOUT' },
  toolCallTimeoutSeconds: { name: 'AKMATORI_TOOL_CALL_TIMEOUT' },
  metricsToken: { name: 'AKMATORI_METRICS_TOKEN' },
  workerToken: { name: 'AKMATORI_WORKER_TOKEN' },
  embeddedWorker: { name: 'AKMATORI_EMBEDDED_WORKER' },
  workerCapacity: { name: 'AKMATORI_WORKER_CAPACITY' },
  apiUrl: { name: 'AKMATORI_API_URL' },
  runsDir: { name: 'AKMATORI_RUNS_DIR' },
  agentSandbox: { name: 'AKMATORI_AGENT_SANDBOX' },
  runDeadlineSeconds: { name: 'AKMATORI_RUN_DEADLINE' },
  retentionIntervalSeconds: { name: 'AKMATORI_RETENTION_INTERVAL' },
  notifiers: { name: 'AKMATORI_NOTIFIERS', json: true },
  plugins: { name: 'AKMATORI_PLUGINS', list: true },
});
