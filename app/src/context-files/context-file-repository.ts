import type { Database } from '@akmatori/host';

/** One row of `context_files`: the index of what the store holds. */
export interface ContextFileRecord {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly description: string | null;
  readonly createdAt: Date;
}

interface Row {
  id: string;
  name: string;
  content_type: string;
  size: string | number;
  sha256: string;
  description: string | null;
  created_at: Date | string;
}

const fromRow = (row: Row): ContextFileRecord => ({
  id: row.id,
  name: row.name,
  contentType: row.content_type,
  size: Number(row.size),
  sha256: row.sha256,
  description: row.description,
  createdAt: new Date(row.created_at),
});

/** Reads and writes `context_files` with knex. */
export class ContextFileRepository {
  /** @param knex the app database's query builder. */
  constructor(private readonly knex: Database['knex']) {}

  /** Every context file, newest first. */
  async list(): Promise<ContextFileRecord[]> {
    const rows = (await this.knex('context_files')
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'name', order: 'asc' },
      ])) as Row[];
    return rows.map(fromRow);
  }

  /** One context file, or undefined. */
  async get(id: string): Promise<ContextFileRecord | undefined> {
    const row = (await this.knex('context_files').where({ id }).first()) as Row | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  /** Inserts a row; returns false (and inserts nothing) when the name is taken. */
  async insert(record: ContextFileRecord): Promise<boolean> {
    const inserted = (await this.knex('context_files')
      .insert({
        id: record.id,
        name: record.name,
        content_type: record.contentType,
        size: record.size,
        sha256: record.sha256,
        description: record.description,
        created_at: record.createdAt,
      })
      .onConflict('name')
      .ignore()
      .returning('id')) as { id: string }[];
    return inserted.length === 1;
  }

  /** Deletes a row; returns whether there was one. */
  async delete(id: string): Promise<boolean> {
    return (await this.knex('context_files').where({ id }).delete()) > 0;
  }
}
