import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Login attempts: one row per login or setup attempt that failed (or is being checked) for a
 * subject (an account or a client address, stored as a hash), so every API replica on the
 * database counts the same failures. Rows older than the login window are deleted as new ones
 * are written.
 */
export const loginAttempts: Migration = {
  name: '0011_login_attempts',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('login_attempts', (table) => {
      table.bigIncrements('id').primary();
      table.text('scope').notNullable();
      table.text('subject_hash').notNullable();
      table.timestamp('attempted_at', { useTz: true }).notNullable();
      table.index(['scope', 'subject_hash', 'attempted_at']);
      table.index(['attempted_at']);
    });
    await knex.raw(
      `alter table login_attempts add constraint login_attempts_scope_check check (scope in ('account', 'address'))`,
    );
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('login_attempts');
  },
};
