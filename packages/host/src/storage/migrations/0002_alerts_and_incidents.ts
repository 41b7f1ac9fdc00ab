import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Alert sources, the durable inbox of received alerts (`alert_events`), the deduplicated
 * alerts, and incidents.
 */
export const alertsAndIncidents: Migration = {
  name: '0002_alerts_and_incidents',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('alert_sources', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.text('source_type').notNullable();
      table.text('name').notNullable();
      table.text('webhook_secret');
      table.jsonb('field_mappings').notNullable().defaultTo('{}');
      table.jsonb('config').notNullable().defaultTo('{}');
      table.jsonb('group_by').notNullable().defaultTo('[]');
      table.integer('grouping_window_seconds').notNullable().defaultTo(30);
      table.boolean('enabled').notNullable().defaultTo(true);
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });

    await knex.schema.createTable('alert_events', (table) => {
      table.bigIncrements('id').primary();
      table
        .uuid('source_id')
        .notNullable()
        .references('id')
        .inTable('alert_sources')
        .onDelete('CASCADE');
      table.timestamp('received_at', { useTz: true }).notNullable();
      table.json('alert').notNullable(); // written once, read once: json (text) is cheaper to write than jsonb
      table.timestamp('processed_at', { useTz: true });
    });
    await knex.raw(
      'create index alert_events_unprocessed on alert_events (id) where processed_at is null',
    );

    await knex.schema.createTable('incidents', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.text('title').notNullable();
      table.text('status').notNullable().defaultTo('pending');
      table.text('severity').notNullable();
      table.uuid('source_id').references('id').inTable('alert_sources').onDelete('SET NULL');
      table.text('source_type').notNullable();
      table.text('group_key');
      table.text('task');
      table.jsonb('context');
      table.integer('alert_count').notNullable().defaultTo(0);
      table.integer('firing_count').notNullable().defaultTo(0);
      table.timestamp('investigate_after', { useTz: true }).notNullable();
      table.timestamp('alerts_resolved_at', { useTz: true });
      table.text('summary');
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.raw(
      "alter table incidents add constraint incidents_status_check check (status in ('pending', 'investigating', 'completed', 'failed', 'cancelled'))",
    );
    await knex.raw(
      'create index incidents_open_group on incidents (source_id, group_key) where alerts_resolved_at is null',
    );
    await knex.raw('create index incidents_created_at on incidents (created_at desc)');

    await knex.schema.createTable('alerts', (table) => {
      table.bigIncrements('id').primary();
      table
        .uuid('source_id')
        .notNullable()
        .references('id')
        .inTable('alert_sources')
        .onDelete('CASCADE');
      table.uuid('incident_id').references('id').inTable('incidents').onDelete('SET NULL');
      table.text('fingerprint').notNullable();
      table.text('status').notNullable();
      table.text('name').notNullable();
      table.text('severity').notNullable();
      table.text('raw_severity');
      table.text('host');
      table.text('service');
      table.text('summary');
      table.text('description');
      table.text('runbook_url');
      table.text('source_url');
      table.text('group_key').notNullable();
      table.jsonb('labels').notNullable().defaultTo('{}');
      table.jsonb('annotations').notNullable().defaultTo('{}');
      table.jsonb('extra').notNullable().defaultTo('{}');
      table.timestamp('starts_at', { useTz: true });
      table.timestamp('ends_at', { useTz: true });
      table.timestamp('first_seen_at', { useTz: true }).notNullable();
      table.timestamp('last_seen_at', { useTz: true }).notNullable();
      table.integer('count').notNullable().defaultTo(1);
    });
    await knex.raw(
      "alter table alerts add constraint alerts_status_check check (status in ('firing', 'resolved'))",
    );
    await knex.raw('create index alerts_identity on alerts (source_id, fingerprint, id desc)');
    await knex.raw('create index alerts_incident on alerts (incident_id)');
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('alerts');
    await knex.schema.dropTable('incidents');
    await knex.schema.dropTable('alert_events');
    await knex.schema.dropTable('alert_sources');
  },
};
