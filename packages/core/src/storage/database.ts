import type { Knex } from 'knex';
import { CoreErrors } from '../errors/catalog.js';
import { migrationSource, migrationsTable } from './migrations/index.js';

/** Which engine holds the data. */
export type DatabaseBackend = 'postgres' | 'embedded';

/**
 * An open database: a knex instance plus what the host needs around it (migrations,
 * readiness, clean shutdown). Both backends speak PostgreSQL and share the migrations.
 */
export interface Database {
  /** The engine in use. */
  readonly backend: DatabaseBackend;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  /** Query builder bound to this database. */
  readonly knex: Knex;
  /** Applies pending migrations; returns the names it applied. */
  migrate(): Promise<string[]>;
  /** Names of migrations not yet applied. */
  pendingMigrations(): Promise<string[]>;
  /** Resolves when a trivial query succeeds; throws `AKM_DATABASE_UNAVAILABLE` otherwise. */
  ping(): Promise<void>;
  /** Closes every connection (and, for the embedded engine, flushes and unlocks its files). */
  close(): Promise<void>;
}

/** Builds the {@link Database} methods shared by both backends around a knex instance. */
export function wrapKnex(
  knex: Knex,
  backend: DatabaseBackend,
  location: string,
  onClose: () => Promise<void> = async () => {},
): Database {
  const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: migrationsTable };
  let closed = false;
  return {
    backend,
    location,
    knex,
    async migrate() {
      const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
      return applied;
    },
    async pendingMigrations() {
      const [, pending] = (await knex.migrate.list(migrationConfig)) as [
        unknown[],
        { name?: string }[],
      ];
      return pending.map((m) => m.name ?? String(m));
    },
    async ping() {
      try {
        await knex.raw('select 1');
      } catch (error) {
        throw CoreErrors.AKM_DATABASE_UNAVAILABLE(
          { reason: (error as Error).message },
          { cause: error },
        );
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await knex.destroy();
      await onClose();
    },
  };
}
