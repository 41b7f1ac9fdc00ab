import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/** Tool instances: a tool type (from a tool provider plugin) with its settings and sealed secrets. */
export const toolInstances: Migration = {
  name: '0003_tool_instances',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('tool_instances', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.text('tool_type').notNullable();
      table.text('name').notNullable().unique();
      table.jsonb('settings').notNullable().defaultTo('{}');
      table.jsonb('secrets').notNullable().defaultTo('{}');
      table.boolean('enabled').notNullable().defaultTo(true);
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('tool_instances');
  },
};
