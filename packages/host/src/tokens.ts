import type { Clock, Logger, PluginHost } from '@akmatori/core';
import type { ResolvedConfig } from './config/resolved-config.js';
import type { SecretBox } from './secrets/secret-box.js';
import type { Database } from './storage/database.js';
import type { Repositories } from './storage/repositories/index.js';

/** A dependency-injection token: a symbol that remembers the type it resolves to. */
export type Token<T> = symbol & { readonly __resolvesTo?: T };

function token<T>(name: string): Token<T> {
  return Symbol.for(`@akmatori/host:${name}`) as Token<T>;
}

/**
 * The tokens the app's composition root registers services under. Packages and plugins
 * name their dependencies with these; only the app touches the container itself.
 *
 * @example
 * ```ts
 * // in the app's container module
 * container.register(Tokens.Clock, { useValue: systemClock });
 * ```
 */
export const Tokens = Object.freeze({
  /** The resolved, frozen configuration. */
  Config: token<ResolvedConfig>('Config'),
  /** The root logger. */
  Logger: token<Logger>('Logger'),
  /** The time source. */
  Clock: token<Clock>('Clock'),
  /** The open database. */
  Database: token<Database>('Database'),
  /** The repositories bound to the database. */
  Repositories: token<Repositories>('Repositories'),
  /** Encryption for secrets at rest. */
  SecretBox: token<SecretBox>('SecretBox'),
  /** The registered plugins. */
  PluginHost: token<PluginHost>('PluginHost'),
});
