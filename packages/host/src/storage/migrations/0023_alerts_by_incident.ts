import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * An incident's alerts in id order straight from an index: a storm's incident holds hundreds of
 * thousands of alerts, and its first page (what a run lists, what the dashboard shows) must not
 * read and sort all of them. Replaces the index on `incident_id` alone, which this one covers.
 */
export const alertsByIncident: Migration = {
  name: '0023_alerts_by_incident',
  async up(knex: Knex): Promise<void> {
    await knex.raw('create index alerts_incident_id on alerts (incident_id, id)');
    await knex.raw('drop index alerts_incident');
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw('create index alerts_incident on alerts (incident_id)');
    await knex.raw('drop index alerts_incident_id');
  },
};
