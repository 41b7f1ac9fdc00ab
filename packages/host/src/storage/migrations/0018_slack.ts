import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Slack: `slack_messages` remembers what Akmatori posted (one row per key: an incident's root
 * message, each thread milestone, each approval request), claimed before posting so that only
 * one replica posts each; `slack_events` holds the ids of Slack events handled, so a retried
 * event is handled once across replicas; `alert_sources.slack_channel` names the channel a
 * source's incidents go to (null: the default channel).
 */
export const slack: Migration = {
  name: '0018_slack',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('slack_messages', (table) => {
      table.text('key').primary();
      table
        .uuid('incident_id')
        .notNullable()
        .references('id')
        .inTable('incidents')
        .onDelete('CASCADE');
      table.text('channel').notNullable();
      table.text('ts');
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.raw('create index slack_messages_thread on slack_messages (channel, ts)');
    await knex.raw('create index slack_messages_incident on slack_messages (incident_id)');
    await knex.schema.createTable('slack_events', (table) => {
      table.text('event_id').primary();
      table.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.schema.alterTable('alert_sources', (table) => {
      table.text('slack_channel');
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('alert_sources', (table) => {
      table.dropColumn('slack_channel');
    });
    await knex.schema.dropTable('slack_events');
    await knex.schema.dropTable('slack_messages');
  },
};
