import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/**
 * The skills index. The skills directory holds the skills themselves (SKILL.md and its
 * files); the database holds what the directory cannot: enabled, category, attached tools.
 */
export const skills: Migration = {
  name: '0005_skills',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('skills', (table) => {
      table.text('name').primary();
      table.boolean('enabled').notNullable().defaultTo(true);
      table.text('category');
      table.text('content_sha256').notNullable();
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.schema.createTable('skill_tools', (table) => {
      table
        .text('skill_name')
        .notNullable()
        .references('name')
        .inTable('skills')
        .onDelete('CASCADE')
        .onUpdate('CASCADE');
      table
        .uuid('tool_instance_id')
        .notNullable()
        .references('id')
        .inTable('tool_instances')
        .onDelete('CASCADE');
      table.primary(['skill_name', 'tool_instance_id']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('skill_tools');
    await knex.schema.dropTable('skills');
  },
};
