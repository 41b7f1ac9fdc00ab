import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * The incident's own state, apart from its investigation (`status`): `open`, `acknowledged` or
 * `resolved`, with who and when (`acknowledged_by` / `resolved_by`: `{kind, user_id, name}`,
 * kind `user`, `api_token` or `system`), and when and how often it was reopened. Existing
 * alert-triggered incidents whose alerts have all resolved become resolved by `system` at that
 * time; every other incident starts open. Indexes: the list's state filter, and the engine's
 * look-up of a group's latest incident (to reopen one resolved a short while ago).
 */
export const incidentState: Migration = {
  name: '0016_incident_state',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('incidents', (table) => {
      table.text('state').notNullable().defaultTo('open');
      table.timestamp('acknowledged_at', { useTz: true });
      table.jsonb('acknowledged_by');
      table.timestamp('resolved_at', { useTz: true });
      table.jsonb('resolved_by');
      table.timestamp('reopened_at', { useTz: true });
      table.integer('reopen_count').notNullable().defaultTo(0);
    });
    await knex.raw(
      "alter table incidents add constraint incidents_state_check check (state in ('open', 'acknowledged', 'resolved'))",
    );
    await knex.raw(`
      update incidents set
        state = 'resolved',
        resolved_at = alerts_resolved_at,
        resolved_by = '{"kind": "system", "user_id": null, "name": "system"}'::jsonb
      where alerts_resolved_at is not null`);
    await knex.raw('create index incidents_state_created_at on incidents (state, created_at desc)');
    await knex.raw(
      'create index incidents_group_latest on incidents (source_id, group_key, alerts_resolved_at)',
    );
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index incidents_group_latest');
    await knex.raw('drop index incidents_state_created_at');
    await knex.raw('alter table incidents drop constraint incidents_state_check');
    await knex.schema.alterTable('incidents', (table) => {
      table.dropColumn('reopen_count');
      table.dropColumn('reopened_at');
      table.dropColumn('resolved_by');
      table.dropColumn('resolved_at');
      table.dropColumn('acknowledged_by');
      table.dropColumn('acknowledged_at');
      table.dropColumn('state');
    });
  },
};
