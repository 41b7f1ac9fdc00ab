import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/** Users, API tokens and settings: what login and first start need. */
export const foundation: Migration = {
  name: '0001_foundation',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('users', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.text('username').notNullable().unique();
      table.text('password_hash').notNullable();
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table
        .timestamp('password_changed_at', { useTz: true })
        .notNullable()
        .defaultTo(knex.fn.now());
      table.timestamp('last_login_at', { useTz: true });
    });
    await knex.schema.createTable('api_tokens', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.text('name').notNullable();
      table.text('token_hash').notNullable().unique();
      table.text('token_prefix').notNullable();
      table.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.timestamp('expires_at', { useTz: true });
      table.timestamp('last_used_at', { useTz: true });
    });
    await knex.schema.createTable('settings', (table) => {
      table.text('key').primary();
      table.jsonb('value').notNullable();
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('settings');
    await knex.schema.dropTable('api_tokens');
    await knex.schema.dropTable('users');
  },
};
