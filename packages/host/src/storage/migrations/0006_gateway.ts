import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * What the MCP gateway writes: the tool call audit log (insert-only, enforced by a trigger),
 * approval requests for write actions, and the model token usage of each run.
 */
export const gateway: Migration = {
  name: '0006_gateway',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('tool_calls', (table) => {
      table.bigIncrements('id').primary();
      table.text('run_id').notNullable();
      // No foreign keys: the audit log outlives the incidents and tools it names.
      table.uuid('incident_id').notNullable();
      table.uuid('tool_instance_id');
      table.text('tool_instance_name');
      table.text('tool').notNullable();
      table.jsonb('arguments').notNullable();
      table.text('decision').notNullable();
      table.text('status').notNullable();
      table.integer('exit_code');
      table.integer('output_bytes').notNullable();
      table.integer('duration_ms').notNullable();
      table.text('error');
      table.timestamp('started_at', { useTz: true }).notNullable();
      table.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.index(['incident_id', 'id']);
    });
    await knex.raw(`
      create function tool_calls_insert_only() returns trigger language plpgsql as $$
      begin
        raise exception 'tool_calls is an insert-only audit log';
      end $$`);
    await knex.raw(`
      create trigger tool_calls_insert_only before update or delete on tool_calls
      for each row execute function tool_calls_insert_only()`);
    await knex.raw(`
      create trigger tool_calls_no_truncate before truncate on tool_calls
      for each statement execute function tool_calls_insert_only()`);

    await knex.schema.createTable('approvals', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.text('run_id').notNullable();
      table.uuid('incident_id').notNullable();
      table.uuid('tool_instance_id').notNullable();
      table.text('tool').notNullable();
      table.text('summary').notNullable();
      table.jsonb('details').notNullable();
      table.text('status').notNullable().defaultTo('pending');
      table.text('decided_by');
      table.text('reason');
      table.timestamp('created_at', { useTz: true }).notNullable();
      table.timestamp('expires_at', { useTz: true }).notNullable();
      table.timestamp('decided_at', { useTz: true });
      table.index(['status', 'created_at']);
    });

    // The only settings the gateway may read: a restricted role gets SELECT on this view, not
    // on `settings` (which also holds the sealed session signing key).
    await knex.raw(`
      create view gateway_settings as
      select key, value from settings
      where key in ('llm', 'llm.api_key', 'gateway.run_token_public_key')`);

    await knex.schema.createTable('model_usage', (table) => {
      table.bigIncrements('id').primary();
      table.text('run_id').notNullable();
      table.uuid('incident_id').notNullable();
      table.text('response_id');
      table.text('model');
      table.integer('input_tokens').notNullable();
      table.integer('cached_input_tokens').notNullable();
      table.integer('output_tokens').notNullable();
      table.integer('reasoning_tokens').notNullable();
      table.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.index(['run_id']);
      table.index(['incident_id']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('model_usage');
    await knex.raw('drop view gateway_settings');
    await knex.schema.dropTable('approvals');
    await knex.schema.dropTable('tool_calls');
    await knex.raw('drop function tool_calls_insert_only()');
  },
};
