import type { Knex } from 'knex';
import type { UserRole } from './user-repository.js';

/** A long-lived token for automation. Only its hash is stored. */
export interface ApiTokenRecord {
  /** Identifier. */
  readonly id: string;
  /** What the token is for, as its creator named it. */
  readonly name: string;
  /** The first characters of the token, to recognise it in a list. */
  readonly tokenPrefix: string;
  /** What the token may do (never more than its creator may). */
  readonly role: UserRole;
  /** The user who created it, directly or through the token that minted it. */
  readonly createdBy: string | null;
  /** The token that minted this one, if a token did; revoking that one revokes this. */
  readonly parentTokenId: string | null;
  /** When it was created. */
  readonly createdAt: Date;
  /** When it stops working; null means never. */
  readonly expiresAt: Date | null;
  /** When it was last used. */
  readonly lastUsedAt: Date | null;
}

interface ApiTokenRow {
  id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  role: UserRole;
  created_by: string | null;
  parent_token_id: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

const columns = [
  'id',
  'name',
  'token_prefix',
  'role',
  'created_by',
  'parent_token_id',
  'created_at',
  'expires_at',
  'last_used_at',
];

const toRecord = (row: Omit<ApiTokenRow, 'token_hash'>): ApiTokenRecord => ({
  id: row.id,
  name: row.name,
  tokenPrefix: row.token_prefix,
  role: row.role,
  createdBy: row.created_by,
  parentTokenId: row.parent_token_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
});

/** Reads and writes `api_tokens`. */
export class ApiTokenRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Stores a new token by its hash. */
  async create(input: {
    name: string;
    tokenHash: string;
    tokenPrefix: string;
    role: UserRole;
    createdBy: string | null;
    parentTokenId: string | null;
    at: Date;
    expiresAt: Date | null;
  }): Promise<ApiTokenRecord> {
    const rows = (await this.#knex('api_tokens')
      .insert({
        name: input.name,
        token_hash: input.tokenHash,
        token_prefix: input.tokenPrefix,
        role: input.role,
        created_by: input.createdBy,
        parent_token_id: input.parentTokenId,
        created_at: input.at,
        expires_at: input.expiresAt,
      })
      .returning(columns)) as ApiTokenRow[];
    return toRecord(rows[0] as ApiTokenRow);
  }

  /** Every token, newest first. */
  async list(): Promise<ApiTokenRecord[]> {
    const rows = (await this.#knex('api_tokens')
      .select(columns)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])) as ApiTokenRow[];
    return rows.map(toRecord);
  }

  /** The token whose hash this is, if any. */
  async findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const row = (await this.#knex('api_tokens')
      .select(columns)
      .where({ token_hash: tokenHash })
      .first()) as ApiTokenRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** The token with this id, if any. */
  async findById(id: string): Promise<ApiTokenRecord | undefined> {
    const row = (await this.#knex('api_tokens').select(columns).where({ id }).first()) as
      ApiTokenRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** Tokens created by this user, newest first. */
  async listCreatedBy(userId: string): Promise<ApiTokenRecord[]> {
    const rows = (await this.#knex('api_tokens')
      .select(columns)
      .where({ created_by: userId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])) as ApiTokenRow[];
    return rows.map(toRecord);
  }

  /** Deletes a token; true when it existed. */
  async delete(id: string): Promise<boolean> {
    return (await this.#knex('api_tokens').where({ id }).delete()) > 0;
  }

  /** Records that the token was used. */
  async touch(id: string, at: Date): Promise<void> {
    await this.#knex('api_tokens').where({ id }).update({ last_used_at: at });
  }
}
