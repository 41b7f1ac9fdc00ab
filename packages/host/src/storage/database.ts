import type { Knex } from 'knex';
import { HostErrors } from '../errors/catalog.js';
import { migrationSource, migrationsTable } from './migrations/index.js';
import type { ChannelListener, NotificationHandlers } from './pg-listener.js';
import type { DriverQuery, SqlExecutor } from './sql.js';

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
  /**
   * Runs raw SQL (`$1` placeholders) on a pooled connection. On the embedded engine this
   * waits its turn with knex's queries, so it never lands inside someone else's transaction.
   */
  readonly executeSql: SqlExecutor;
  /**
   * Runs `work` in a transaction on one connection: commits when it resolves, rolls back when
   * it throws. `sql` runs statements inside the transaction.
   */
  transaction<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /** Resolves when a trivial query succeeds; throws `AKM_DATABASE_UNAVAILABLE` otherwise. */
  ping(): Promise<void>;
  /** Closes every connection (and, for the embedded engine, flushes and unlocks its files). */
  close(): Promise<void>;
  /**
   * PostgreSQL only: `LISTEN` on `channel` over a dedicated connection that reconnects when
   * lost. Processes sharing one database signal each other this way; `pg_notify` through
   * `executeSql` sends. Absent on the embedded engine.
   */
  readonly listen?: (channel: string, handlers: NotificationHandlers) => Promise<ChannelListener>;
}

/** Builds the {@link Database} methods shared by both backends around a knex instance. */
export function wrapKnex(
  knex: Knex,
  backend: DatabaseBackend,
  location: string,
  query: DriverQuery,
  onClose: () => Promise<void> = async () => {},
): Database {
  const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: migrationsTable };
  const client = knex.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(connection: unknown): Promise<void>;
  };
  const withConnection = async <T>(work: (connection: unknown) => Promise<T>): Promise<T> => {
    const connection = await client.acquireConnection();
    try {
      return await work(connection);
    } finally {
      await client.releaseConnection(connection);
    }
  };
  let closed = false;
  return {
    backend,
    location,
    knex,
    executeSql: (text, params) =>
      withConnection((connection) => query(connection, text, params)) as never,
    transaction: (work) =>
      withConnection(async (connection) => {
        const sql: SqlExecutor = (text, params) => query(connection, text, params) as never;
        await query(connection, 'BEGIN', undefined);
        try {
          const result = await work(sql);
          await query(connection, 'COMMIT', undefined);
          return result;
        } catch (error) {
          await query(connection, 'ROLLBACK', undefined).catch(() => {});
          throw error;
        }
      }),
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
        throw HostErrors.AKM_DATABASE_UNAVAILABLE(
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
