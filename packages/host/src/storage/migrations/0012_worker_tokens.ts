import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Worker tokens: each worker authenticates with its own token, created by an admin through
 * the API and revocable on its own. Only the token's SHA-256 is stored, with its first
 * characters to recognise it in a list; `last_used_at` is when a worker last connected or was
 * seen connected with it; a revoked token keeps its row (and its name in the list) with
 * `revoked_at` set. The one shared worker token of earlier versions (sealed in `settings`) is
 * no longer read, so it is deleted.
 */
export const workerTokens: Migration = {
  name: '0012_worker_tokens',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('worker_tokens', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.text('name').notNullable();
      table.text('token_hash').notNullable().unique();
      table.text('token_prefix').notNullable();
      table.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
      table.timestamp('created_at', { useTz: true }).notNullable();
      table.timestamp('last_used_at', { useTz: true });
      table.timestamp('revoked_at', { useTz: true });
    });
    await knex('settings').where({ key: 'worker.token' }).delete();
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('worker_tokens');
  },
};
