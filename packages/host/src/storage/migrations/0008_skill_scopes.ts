import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Which skills a run gets. An alert source names the skills its incidents use
 * (`alert_sources.skills`, empty by default: no tools unless a skill's selectors match); a
 * manual incident or a follow-up may name skills (`incidents.skills`, `runs.skills`; null
 * means every enabled skill, since a person asked).
 */
export const skillScopes: Migration = {
  name: '0008_skill_scopes',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('alert_sources', (table) => {
      table.jsonb('skills').notNullable().defaultTo('[]');
    });
    await knex.schema.alterTable('incidents', (table) => {
      table.jsonb('skills');
    });
    await knex.schema.alterTable('runs', (table) => {
      table.jsonb('skills');
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('runs', (table) => table.dropColumn('skills'));
    await knex.schema.alterTable('incidents', (table) => table.dropColumn('skills'));
    await knex.schema.alterTable('alert_sources', (table) => table.dropColumn('skills'));
  },
};
