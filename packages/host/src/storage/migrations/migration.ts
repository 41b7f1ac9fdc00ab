import type { Knex } from 'knex';

/** One schema change, written once in PostgreSQL's dialect and run on both backends. */
export interface Migration {
  /** Unique, sortable name; recorded in the migrations table once applied. */
  readonly name: string;
  /** Applies the change. */
  up(knex: Knex): Promise<void>;
  /** Reverts the change. */
  down(knex: Knex): Promise<void>;
}
