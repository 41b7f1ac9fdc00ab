import type { Knex } from 'knex';

/** A worker token as stored: never its value, only its hash (not even that leaves here). */
export interface WorkerTokenRecord {
  readonly id: string;
  /** What the token is for (say, the machine the worker runs on), as its creator named it. */
  readonly name: string;
  /** The first characters of the token, to recognise it in a list. */
  readonly tokenPrefix: string;
  /** The user who created it, when a user did. */
  readonly createdBy: string | null;
  readonly createdAt: Date;
  /** When a worker last connected, or was last seen connected, with it. */
  readonly lastUsedAt: Date | null;
  /** When it was revoked; null while it works. */
  readonly revokedAt: Date | null;
}

interface WorkerTokenRow {
  id: string;
  name: string;
  token_prefix: string;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const columns = [
  'id',
  'name',
  'token_prefix',
  'created_by',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const;

const toRecord = (row: WorkerTokenRow): WorkerTokenRecord => ({
  id: row.id,
  name: row.name,
  tokenPrefix: row.token_prefix,
  createdBy: row.created_by,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Reads and writes `worker_tokens`. */
export class WorkerTokenRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Stores a new token by its hash. */
  async create(input: {
    name: string;
    tokenHash: string;
    tokenPrefix: string;
    createdBy: string | null;
    at: Date;
  }): Promise<WorkerTokenRecord> {
    const [row] = await this.#knex<WorkerTokenRow>('worker_tokens')
      .insert({
        name: input.name,
        token_hash: input.tokenHash,
        token_prefix: input.tokenPrefix,
        created_by: input.createdBy,
        created_at: input.at,
      } as never)
      .returning([...columns]);
    return toRecord(row as WorkerTokenRow);
  }

  /** Every token, revoked ones included, newest first. */
  async list(): Promise<WorkerTokenRecord[]> {
    const rows = await this.#knex<WorkerTokenRow>('worker_tokens')
      .select([...columns])
      .orderBy('created_at', 'desc');
    return rows.map(toRecord);
  }

  /** The live (not revoked) token with this hash. */
  async findLiveByHash(tokenHash: string): Promise<WorkerTokenRecord | undefined> {
    const row = (await this.#knex('worker_tokens')
      .select([...columns])
      .where({ token_hash: tokenHash })
      .whereNull('revoked_at')
      .first()) as WorkerTokenRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** Which of `ids` are live tokens. */
  async liveIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.#knex('worker_tokens')
      .select('id')
      .whereIn('id', [...ids])
      .whereNull('revoked_at');
    return new Set(rows.map((row: { id: string }) => row.id));
  }

  /** Marks a token revoked; true when it existed (revoked again or not). */
  async revoke(id: string, at: Date): Promise<boolean> {
    const updated = await this.#knex('worker_tokens')
      .where({ id })
      .update({ revoked_at: this.#knex.raw('coalesce(revoked_at, ?)', [at]) });
    return updated > 0;
  }

  /** Records that workers used these tokens at `at`. */
  async touch(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.#knex('worker_tokens')
      .whereIn('id', [...ids])
      .whereNull('revoked_at')
      .update({ last_used_at: at });
  }
}
