import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * The operator audit (`audit_events`) becomes insert-only like the tool call audit: updates
 * and truncation are refused for everyone, and deletes too, except by the retention job's
 * transaction (`akmatori.retention` = `on`) for records older than 30 days.
 */
export const operatorAudit: Migration = {
  name: '0015_operator_audit',
  async up(knex: Knex): Promise<void> {
    await knex.raw(`
      create function audit_events_insert_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and current_setting('akmatori.retention', true) = 'on' then
          if old.at < now() - interval '30 days' then
            return old;
          end if;
        end if;
        raise exception 'audit_events is an insert-only audit log: only the retention job deletes records, and only those older than 30 days'
          using errcode = 'insufficient_privilege';
      end $$`);
    await knex.raw(`
      create trigger audit_events_insert_only before update or delete on audit_events
      for each row execute function audit_events_insert_only()`);
    await knex.raw(`
      create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_insert_only()`);
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw('drop trigger audit_events_no_truncate on audit_events');
    await knex.raw('drop trigger audit_events_insert_only on audit_events');
    await knex.raw('drop function audit_events_insert_only()');
  },
};
