import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * `users.slack_user_id`: the Slack user (`U…`) an Akmatori user acts as in Slack, set by an
 * admin when matching by e-mail address is not possible. One Akmatori user per Slack user.
 */
export const slackUsers: Migration = {
  name: '0019_slack_users',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('users', (table) => {
      table.text('slack_user_id');
    });
    await knex.raw(
      'create unique index users_slack_user_id on users (slack_user_id) where slack_user_id is not null',
    );
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index if exists users_slack_user_id');
    await knex.schema.alterTable('users', (table) => {
      table.dropColumn('slack_user_id');
    });
  },
};
