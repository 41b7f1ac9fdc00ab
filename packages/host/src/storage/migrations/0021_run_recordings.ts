import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * The recording of each run, so it can be replayed: its task, the tools the gateway listed,
 * every model exchange (request body and streamed response) and every tool call's result, in
 * the order they happened (`id`). Each entry is scrubbed of secrets and then sealed at rest
 * (`sealed`, opened with the secret box under the context `run-recording:<run id>`). Entries
 * go with their run (and so with their incident) and, like run events, after
 * `run_events_days`.
 */
export const runRecordings: Migration = {
  name: '0021_run_recordings',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('run_recordings', (table) => {
      table.bigIncrements('id').primary();
      table.uuid('run_id').notNullable().references('id').inTable('runs').onDelete('CASCADE');
      table.uuid('incident_id').notNullable();
      table.text('kind').notNullable();
      table.text('sealed').notNullable();
      table.timestamp('recorded_at', { useTz: true }).notNullable();
      table.index(['run_id', 'id']);
      table.index(['recorded_at']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('run_recordings');
  },
};
