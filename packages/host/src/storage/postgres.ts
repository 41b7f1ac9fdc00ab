import { scrubUrlPassword } from '@akmatori/core';
import knexFactory from 'knex';
import pg from 'pg';
import { wrapKnex, type Database } from './database.js';
import { listenOnChannel } from './pg-listener.js';
import type { DriverQuery } from './sql.js';

/** Options for {@link openPostgres}. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/db` */
  readonly url: string;
  /** Largest number of pooled connections. Default 10. */
  readonly poolMax?: number;
}

/** int8 (bigint) values arrive as numbers, as they do from the embedded engine. */
const typeParsers = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text'),
};

/**
 * Connects to PostgreSQL through `pg`. Nothing is opened until the first query.
 *
 * @example
 * ```ts
 * const db = openPostgres({ url: process.env.DATABASE_URL! });
 * await db.migrate();
 * ```
 */
export function openPostgres(options: PostgresOptions): Database {
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: options.url, types: typeParsers } as never,
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
  const query: DriverQuery = (connection, text, params) =>
    (connection as pg.Client).query(text, params === undefined ? undefined : [...params]);
  return {
    ...wrapKnex(knex, 'postgres', scrubUrlPassword(options.url), query),
    listen: (channel, handlers) => listenOnChannel(options.url, channel, handlers),
  };
}
