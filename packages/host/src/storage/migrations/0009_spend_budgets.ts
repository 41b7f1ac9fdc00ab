import type { Knex } from 'knex';
import type { Migration } from './migration.js';

const viewKeys = (keys: readonly string[]): string =>
  `create or replace view gateway_settings as
   select key, value from settings
   where key in (${keys.map((key) => `'${key}'`).join(', ')})`;

/**
 * Spend budgets: each model response's usage row carries its incident's alert source and its
 * cost, indexed for the gateway's per-source and per-day sums; the gateway may read the
 * budgets and the price table through `gateway_settings`; pending incidents are indexed by
 * source for the per-source cap on queued investigations.
 */
export const spendBudgets: Migration = {
  name: '0009_spend_budgets',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('model_usage', (table) => {
      table.uuid('source_id');
      table.double('cost_usd');
    });
    await knex.raw(`
      update model_usage set source_id = incidents.source_id
      from incidents where incidents.id = model_usage.incident_id`);
    await knex.raw(
      'create index model_usage_source_day on model_usage (source_id, recorded_at) where source_id is not null',
    );
    await knex.raw('create index model_usage_recorded_at on model_usage (recorded_at)');
    await knex.raw(
      "create index incidents_pending_by_source on incidents (source_id) where status = 'pending'",
    );
    await knex.raw(
      viewKeys(['llm', 'llm.api_key', 'gateway.run_token_public_key', 'budgets', 'llm.prices']),
    );
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw('drop view gateway_settings');
    await knex.raw(
      `create view gateway_settings as select key, value from settings where key in ('llm', 'llm.api_key', 'gateway.run_token_public_key')`,
    );
    await knex.raw('drop index incidents_pending_by_source');
    await knex.raw('drop index model_usage_recorded_at');
    await knex.raw('drop index model_usage_source_day');
    await knex.schema.alterTable('model_usage', (table) => {
      table.dropColumn('cost_usd');
      table.dropColumn('source_id');
    });
  },
};
