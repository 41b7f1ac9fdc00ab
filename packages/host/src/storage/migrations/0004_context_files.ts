import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/** Context files: documents operators upload for investigations (stored in the data dir). */
export const contextFiles: Migration = {
  name: '0004_context_files',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('context_files', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.text('name').notNullable().unique();
      table.text('content_type').notNullable();
      table.bigInteger('size').notNullable();
      table.text('sha256').notNullable();
      table.text('description');
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('context_files');
  },
};
