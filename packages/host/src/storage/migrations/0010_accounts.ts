import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * Accounts: users get a role, an optional e-mail and a disabled flag; API tokens get a role and
 * the token that minted them (revoking a token revokes what it minted); logins become
 * revocable sessions stored by hash; one-time tickets open the live event socket; every
 * change an operator makes through the API lands in `audit_events`; approvals record the id
 * of the user who decided.
 */
export const accounts: Migration = {
  name: '0010_accounts',
  async up(knex: Knex): Promise<void> {
    const roleCheck = (column: string): string => `${column} in ('viewer', 'responder', 'admin')`;
    // Everyone who could log in before roles existed was the administrator.
    await knex.schema.alterTable('users', (table) => {
      table.text('role').notNullable().defaultTo('admin');
      table.text('email');
      table.timestamp('disabled_at', { useTz: true });
    });
    await knex.raw(
      `alter table users add constraint users_role_check check (${roleCheck('role')})`,
    );
    await knex.schema.alterTable('api_tokens', (table) => {
      table.text('role').notNullable().defaultTo('admin');
      table.uuid('parent_token_id').references('id').inTable('api_tokens').onDelete('CASCADE');
    });
    await knex.raw(
      `alter table api_tokens add constraint api_tokens_role_check check (${roleCheck('role')})`,
    );

    await knex.schema.createTable('sessions', (table) => {
      table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
      table.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
      table.text('token_hash').notNullable().unique();
      table.timestamp('created_at', { useTz: true }).notNullable();
      table.timestamp('last_used_at', { useTz: true }).notNullable();
      table.timestamp('idle_expires_at', { useTz: true }).notNullable();
      table.timestamp('expires_at', { useTz: true }).notNullable();
      table.text('client_address');
      table.text('user_agent');
      table.index(['user_id']);
      table.index(['idle_expires_at']);
    });

    await knex.schema.createTable('event_tickets', (table) => {
      table.text('ticket_hash').primary();
      table.text('principal_kind').notNullable();
      table.uuid('principal_id').notNullable();
      table.uuid('session_id').references('id').inTable('sessions').onDelete('CASCADE');
      table.timestamp('expires_at', { useTz: true }).notNullable();
    });

    await knex.schema.createTable('audit_events', (table) => {
      table.bigIncrements('id').primary();
      table.timestamp('at', { useTz: true }).notNullable();
      table.text('actor_kind').notNullable();
      table.uuid('actor_id');
      table.text('actor_name').notNullable();
      table.text('action').notNullable();
      table.jsonb('target').notNullable().defaultTo('{}');
      table.integer('status').notNullable();
      table.text('client_address');
      table.index(['at']);
    });

    await knex.schema.alterTable('approvals', (table) => {
      table.uuid('decided_by_user_id');
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('approvals', (table) => table.dropColumn('decided_by_user_id'));
    await knex.schema.dropTable('audit_events');
    await knex.schema.dropTable('event_tickets');
    await knex.schema.dropTable('sessions');
    await knex.schema.alterTable('api_tokens', (table) => {
      table.dropColumn('parent_token_id');
      table.dropColumn('role');
    });
    await knex.schema.alterTable('users', (table) => {
      table.dropColumn('disabled_at');
      table.dropColumn('email');
      table.dropColumn('role');
    });
  },
};
