import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Retention. The tool call audit stays insert-only for everyone, with one exception: a
 * transaction that has set `akmatori.retention` to `on` (only the retention job does, with
 * `set_config(..., true)`, so it ends with the transaction) may delete records older than
 * 30 days. Updates and truncation stay refused for everyone. Indexes let the job find old rows
 * of each pruned table without a full scan.
 */
export const retention: Migration = {
  name: '0014_retention',
  async up(knex: Knex): Promise<void> {
    await knex.raw(`
      create or replace function tool_calls_insert_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and current_setting('akmatori.retention', true) = 'on' then
          if old.recorded_at < now() - interval '30 days' then
            return old;
          end if;
        end if;
        raise exception 'tool_calls is an insert-only audit log: only the retention job deletes records, and only those older than 30 days'
          using errcode = 'insufficient_privilege';
      end $$`);
    await knex.raw('create index tool_calls_recorded_at on tool_calls (recorded_at)');
    await knex.raw('create index run_events_at on run_events (at)');
    await knex.raw('create index alert_events_received_at on alert_events (received_at)');
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index alert_events_received_at');
    await knex.raw('drop index run_events_at');
    await knex.raw('drop index tool_calls_recorded_at');
    await knex.raw(`
      create or replace function tool_calls_insert_only() returns trigger language plpgsql as $$
      begin
        raise exception 'tool_calls is an insert-only audit log';
      end $$`);
  },
};
