import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Authenticated senders: a source without a webhook secret needs the operator's explicit
 * `allow_unauthenticated` (sources that had none before keep working: they get it set); each
 * source has a rate limit (requests a minute, 0 for none); `webhook_signatures` remembers the
 * HMAC signatures accepted in the last few minutes, by hash, so that every API replica refuses
 * a replayed one.
 */
export const webhookAuth: Migration = {
  name: '0013_webhook_auth',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('alert_sources', (table) => {
      table.boolean('allow_unauthenticated').notNullable().defaultTo(false);
      table.integer('rate_limit_per_minute').notNullable().defaultTo(6000);
    });
    await knex.raw(
      'alter table alert_sources add constraint alert_sources_rate_limit_check check (rate_limit_per_minute >= 0)',
    );
    await knex('alert_sources').whereNull('webhook_secret').update({ allow_unauthenticated: true });

    await knex.schema.createTable('webhook_signatures', (table) => {
      table
        .uuid('source_id')
        .notNullable()
        .references('id')
        .inTable('alert_sources')
        .onDelete('CASCADE');
      table.text('signature_hash').notNullable();
      table.timestamp('expires_at', { useTz: true }).notNullable();
      table.primary(['source_id', 'signature_hash']);
      table.index(['expires_at']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('webhook_signatures');
    await knex.schema.alterTable('alert_sources', (table) => {
      table.dropColumn('rate_limit_per_minute');
      table.dropColumn('allow_unauthenticated');
    });
  },
};
