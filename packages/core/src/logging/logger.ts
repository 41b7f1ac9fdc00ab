import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';
import { scrubCommandValue } from './secret-scrubber.js';

/** The structured logger every Akmatori package logs through (a pino logger). */
export type Logger = PinoLogger;

/** Log levels, most to least verbose, plus `silent`. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Field names whose values are never written to a log, at any depth up to four levels. */
export const redactedFieldNames: readonly string[] = Object.freeze([
  'password',
  'adminPassword',
  'secret',
  'secretKey',
  'webhook_secret',
  'webhookSecret',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'credentials',
  'privateKey',
  'private_key',
  'passphrase',
  'databaseUrl',
  'connectionString',
  'jwtSecret',
  'routing_key',
  'service_key',
]);

/**
 * Top-level log fields that carry command text (an SSH command, an approval's summary, a tool
 * call's arguments): the logger passes them through {@link scrubCommandValue}, so a secret
 * written into a command (`mysql -pX`, `PGPASSWORD=X`, `Authorization: Bearer X`) is not
 * written to the log.
 */
export const commandFieldNames: readonly string[] = Object.freeze([
  'command',
  'cmd',
  'summary',
  'arguments',
  'args',
  'action',
]);

/** pino redaction paths covering {@link redactedFieldNames} at the top level and nested. */
export function redactionPaths(names: readonly string[] = redactedFieldNames): string[] {
  const prefixes = ['', '*.', '*.*.', '*.*.*.'];
  return prefixes.flatMap((prefix) => names.map((name) => `${prefix}${name}`));
}

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Minimum level written. Default `info`. */
  level?: LogLevel;
  /** Name of the process or component, added to every line. */
  name?: string;
  /** Where lines go; default stdout. Tests pass a stream to inspect output. */
  destination?: NodeJS.WritableStream;
  /** Extra field names to redact besides {@link redactedFieldNames}. */
  redact?: readonly string[];
}

/**
 * Creates the root logger. Secret fields are replaced by `[redacted]` wherever they appear,
 * and secrets written inline in command text ({@link commandFieldNames}) are scrubbed.
 *
 * @example
 * ```ts
 * const log = createLogger({ level: 'info', name: 'akmatori' });
 * log.child({ plugin: 'alertmanager' }).info({ password: 'x' }, 'never shows x');
 * ```
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    redact: {
      paths: redactionPaths([...redactedFieldNames, ...(options.redact ?? [])]),
      censor: '[redacted]',
    },
    serializers: Object.fromEntries(
      commandFieldNames.map((name) => [name, (value: unknown) => scrubCommandValue(value)]),
    ),
    base:
      options.name === undefined ? { pid: process.pid } : { pid: process.pid, name: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination === undefined
    ? pino(config)
    : pino(config, options.destination as pino.DestinationStream);
}

/** A logger that writes nothing, for tests and tools that want no output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
