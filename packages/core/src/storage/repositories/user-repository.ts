import type { Knex } from 'knex';

/** A person who can log in to the dashboard and API. */
export interface UserRecord {
  /** Identifier. */
  readonly id: string;
  /** Login name. */
  readonly username: string;
  /** Password hash in the `scrypt$...` format; never leaves the server. */
  readonly passwordHash: string;
  /** When the user was created. */
  readonly createdAt: Date;
  /** When the password last changed; login tokens issued before it are void. */
  readonly passwordChangedAt: Date;
  /** When the user last logged in. */
  readonly lastLoginAt: Date | null;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  created_at: Date;
  password_changed_at: Date;
  last_login_at: Date | null;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  passwordChangedAt: row.password_changed_at,
  lastLoginAt: row.last_login_at,
});

/** Reads and writes `users`. */
export class UserRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** The user with this login name, if any. */
  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.#knex<UserRow>('users').where({ username }).first();
    return row === undefined ? undefined : toRecord(row);
  }

  /** The user with this id, if any. */
  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.#knex<UserRow>('users').where({ id }).first();
    return row === undefined ? undefined : toRecord(row);
  }

  /**
   * Creates the user unless one with that name exists. Returns the new user, or undefined
   * when the name was taken (so two concurrent first-run setups cannot both succeed).
   */
  async createIfAbsent(input: {
    username: string;
    passwordHash: string;
    at: Date;
  }): Promise<UserRecord | undefined> {
    const rows = (await this.#knex('users')
      .insert({
        username: input.username,
        password_hash: input.passwordHash,
        created_at: input.at,
        password_changed_at: input.at,
      })
      .onConflict('username')
      .ignore()
      .returning('*')) as UserRow[];
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  /** Replaces a user's password hash. */
  async updatePassword(id: string, passwordHash: string, at: Date): Promise<void> {
    await this.#knex('users')
      .where({ id })
      .update({ password_hash: passwordHash, password_changed_at: at });
  }

  /** Records a successful login. */
  async recordLogin(id: string, at: Date): Promise<void> {
    await this.#knex('users').where({ id }).update({ last_login_at: at });
  }

  /** How many users exist. */
  async count(): Promise<number> {
    const row = (await this.#knex('users')
      .count<{ count: number | string }[]>({ count: '*' })
      .first()) as { count: number | string } | undefined;
    return Number(row?.count ?? 0);
  }
}
