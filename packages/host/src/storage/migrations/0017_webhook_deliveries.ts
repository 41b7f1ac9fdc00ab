import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * `webhook_deliveries`: the last webhook deliveries of each alert source (when, the answer's
 * status, accepted or refused and why, how many alerts, from where), for the dashboard. The app
 * writes them in batches and keeps the newest few per source; they go with their source.
 */
export const webhookDeliveries: Migration = {
  name: '0017_webhook_deliveries',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('webhook_deliveries', (table) => {
      table.bigIncrements('id').primary();
      table
        .uuid('source_id')
        .notNullable()
        .references('id')
        .inTable('alert_sources')
        .onDelete('CASCADE');
      table.timestamp('at', { useTz: true }).notNullable();
      table.integer('status_code').notNullable();
      table.boolean('accepted').notNullable();
      table.text('error_code');
      table.text('error_message');
      table.integer('alert_count').notNullable().defaultTo(0);
      table.text('client_address');
      table.integer('duration_ms');
    });
    await knex.raw(
      'create index webhook_deliveries_source_at on webhook_deliveries (source_id, at desc, id desc)',
    );
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('webhook_deliveries');
  },
};
