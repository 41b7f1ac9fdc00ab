import { isUuid } from '@akmatori/host';
import type { Knex } from 'knex';

/** One configured tool instance as stored: settings in clear, secrets sealed. */
export interface ToolInstanceRecord {
  readonly id: string;
  /** The tool provider's id (`ssh`, `zabbix`). */
  readonly toolType: string;
  /** Unique operator-chosen name. */
  readonly name: string;
  /** The non-secret settings. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Secret settings, field → sealed value (context `tool:<id>:<field>`). */
  readonly secrets: Readonly<Record<string, string>>;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Fields written on create or update. */
export type ToolInstanceInput = Pick<
  ToolInstanceRecord,
  'toolType' | 'name' | 'settings' | 'secrets' | 'enabled'
>;

interface ToolInstanceRow {
  id: string;
  tool_type: string;
  name: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (row: ToolInstanceRow): ToolInstanceRecord => ({
  id: row.id,
  toolType: row.tool_type,
  name: row.name,
  settings: row.settings,
  secrets: row.secrets,
  enabled: row.enabled,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (input: Partial<ToolInstanceInput>): Record<string, unknown> => {
  const row: Record<string, unknown> = {};
  if (input.toolType !== undefined) row.tool_type = input.toolType;
  if (input.name !== undefined) row.name = input.name;
  if (input.settings !== undefined) row.settings = JSON.stringify(input.settings);
  if (input.secrets !== undefined) row.secrets = JSON.stringify(input.secrets);
  if (input.enabled !== undefined) row.enabled = input.enabled;
  return row;
};

/** Reads and writes `tool_instances`. */
export class ToolInstanceRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Creates an instance under the given id (secrets are sealed for it before insert). */
  async create(id: string, input: ToolInstanceInput, at: Date): Promise<ToolInstanceRecord> {
    const rows = (await this.#knex('tool_instances')
      .insert({ id, ...toRow(input), created_at: at, updated_at: at })
      .returning('*')) as ToolInstanceRow[];
    return toRecord(rows[0] as ToolInstanceRow);
  }

  /** The instance with this id, if any (a malformed id finds nothing). */
  async get(id: string): Promise<ToolInstanceRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.#knex('tool_instances').where({ id }).first()) as
      ToolInstanceRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** The instance with this name, if any. */
  async findByName(name: string): Promise<ToolInstanceRecord | undefined> {
    const row = (await this.#knex('tool_instances').where({ name }).first()) as
      ToolInstanceRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** Every instance, by name. */
  async list(): Promise<ToolInstanceRecord[]> {
    const rows = (await this.#knex('tool_instances').orderBy('name')) as ToolInstanceRow[];
    return rows.map(toRecord);
  }

  /** Changes some fields; undefined if the instance does not exist. */
  async update(
    id: string,
    patch: Partial<ToolInstanceInput>,
    at: Date,
  ): Promise<ToolInstanceRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = (await this.#knex('tool_instances')
      .where({ id })
      .update({ ...toRow(patch), updated_at: at })
      .returning('*')) as ToolInstanceRow[];
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  /** Deletes an instance; true when it existed. */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.#knex('tool_instances').where({ id }).delete()) > 0;
  }
}
