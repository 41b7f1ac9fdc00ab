import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * `alert_sources.runner`: the runner (by id) that investigates the source's incidents; null:
 * the `runner` setting's default (itself `codex` unless set).
 */
export const sourceRunner: Migration = {
  name: '0020_source_runner',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('alert_sources', (table) => {
      table.text('runner');
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('alert_sources', (table) => {
      table.dropColumn('runner');
    });
  },
};
