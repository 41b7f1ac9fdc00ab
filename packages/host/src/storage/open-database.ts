import type { Database } from './database.js';
import { openEmbedded } from './embedded.js';
import { openPostgres } from './postgres.js';

/** The settings {@link openDatabase} reads. */
export interface DatabaseSettings {
  /** PostgreSQL URL; undefined selects the embedded engine. */
  readonly databaseUrl: string | undefined;
  /** Data directory for the embedded engine. */
  readonly dataDir: string;
}

/**
 * Opens PostgreSQL when `databaseUrl` is set, the embedded engine in `dataDir` otherwise.
 *
 * @example
 * ```ts
 * const db = await openDatabase(config);
 * ```
 */
export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  return settings.databaseUrl === undefined
    ? openEmbedded({ dataDir: settings.dataDir })
    : openPostgres({ url: settings.databaseUrl });
}
