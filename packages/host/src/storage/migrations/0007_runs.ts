import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Runs of the agent: one row per investigation or follow-up attempt, their events in order
 * (stored as they arrive, replayable from a cursor), and the Codex session of each incident
 * so a follow-up can resume the thread on any worker.
 */
export const runs: Migration = {
  name: '0007_runs',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('runs', (table) => {
      table.uuid('id').primary();
      table
        .uuid('incident_id')
        .notNullable()
        .references('id')
        .inTable('incidents')
        .onDelete('CASCADE');
      table.text('kind').notNullable();
      table.text('status').notNullable();
      table.text('prompt').notNullable();
      table.integer('attempt').notNullable().defaultTo(1);
      table.text('worker_id');
      table.text('session_id');
      table.text('error');
      table.text('report_markdown');
      table.jsonb('report');
      table.bigInteger('input_tokens').notNullable().defaultTo(0);
      table.bigInteger('cached_input_tokens').notNullable().defaultTo(0);
      table.bigInteger('output_tokens').notNullable().defaultTo(0);
      table.bigInteger('reasoning_tokens').notNullable().defaultTo(0);
      table.decimal('cost_usd', 14, 6);
      table.timestamp('created_at', { useTz: true }).notNullable();
      table.timestamp('started_at', { useTz: true });
      table.timestamp('finished_at', { useTz: true });
      table.integer('duration_ms');
      table.index(['incident_id', 'created_at']);
    });
    await knex.schema.createTable('run_events', (table) => {
      table.bigIncrements('id').primary();
      table.uuid('run_id').notNullable().references('id').inTable('runs').onDelete('CASCADE');
      table.uuid('incident_id').notNullable();
      table.integer('seq').notNullable();
      table.text('type').notNullable();
      table.jsonb('event').notNullable();
      table.timestamp('at', { useTz: true }).notNullable();
      table.unique(['run_id', 'seq']);
      table.index(['incident_id', 'id']);
    });
    await knex.schema.createTable('run_sessions', (table) => {
      table.uuid('incident_id').primary().references('id').inTable('incidents').onDelete('CASCADE');
      table.text('session_id').notNullable();
      table.text('archive').notNullable();
      table.timestamp('updated_at', { useTz: true }).notNullable();
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('run_sessions');
    await knex.schema.dropTable('run_events');
    await knex.schema.dropTable('runs');
  },
};
