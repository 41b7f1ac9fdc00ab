import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Scorecards of `akmatori eval run`: one `eval_runs` row per run (the model, the host of its
 * endpoint and never a key, when, totals), one `eval_results` row per scenario attempt (pass,
 * each check's outcome, tokens, cost, time) and, in `eval_result_skills`, the version of every
 * skill the attempt used (a content hash of the skill's files), so a skill edit can be compared
 * with the version before it.
 */
export const evalScorecards: Migration = {
  name: '0022_eval_scorecards',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('eval_runs', (table) => {
      table.uuid('id').primary();
      table.text('model').notNullable();
      table.text('endpoint_host');
      table.timestamp('started_at', { useTz: true }).notNullable();
      table.bigInteger('duration_ms').notNullable();
      table.integer('results').notNullable();
      table.integer('passed').notNullable();
      table.bigInteger('tokens').notNullable();
      table.double('cost_usd');
      table.timestamp('stored_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.index(['started_at']);
      table.index(['model', 'started_at']);
    });
    await knex.schema.createTable('eval_results', (table) => {
      table.bigIncrements('id').primary();
      table.uuid('run_id').notNullable().references('id').inTable('eval_runs').onDelete('CASCADE');
      table.text('scenario_id').notNullable();
      table.text('scenario_title');
      table.integer('attempt').notNullable();
      table.boolean('passed').notNullable();
      table.jsonb('checks').notNullable();
      table.bigInteger('tokens').notNullable();
      table.double('cost_usd');
      table.integer('tool_calls');
      table.bigInteger('duration_ms').notNullable();
      table.text('error');
      table.index(['run_id', 'id']);
    });
    await knex.schema.createTable('eval_result_skills', (table) => {
      table
        .bigInteger('result_id')
        .notNullable()
        .references('id')
        .inTable('eval_results')
        .onDelete('CASCADE');
      table.text('skill_name').notNullable();
      table.text('skill_version').notNullable();
      table.primary(['result_id', 'skill_name']);
      table.index(['skill_name', 'skill_version']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('eval_result_skills');
    await knex.schema.dropTable('eval_results');
    await knex.schema.dropTable('eval_runs');
  },
};
