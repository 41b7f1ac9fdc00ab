import type { Knex } from 'knex';

/** What a user may do: `viewer` reads, `responder` also acts on incidents, `admin` manages. */
export type UserRole = 'viewer' | 'responder' | 'admin';

/** A person who can log in to the dashboard and API. */
export interface UserRecord {
  /** Identifier. */
  readonly id: string;
  /** Login name. */
  readonly username: string;
  /** Password hash in the `scrypt$...` format; never leaves the server. */
  readonly passwordHash: string;
  /** What the user may do. */
  readonly role: UserRole;
  /** Contact address, if given. */
  readonly email: string | null;
  /** The Slack user (`U…`) this user acts as in Slack, when set; otherwise matched by e-mail. */
  readonly slackUserId: string | null;
  /** When the user was created. */
  readonly createdAt: Date;
  /** When the password last changed. */
  readonly passwordChangedAt: Date;
  /** When the user last logged in. */
  readonly lastLoginAt: Date | null;
  /** When an admin disabled the user; a disabled user cannot log in or use tokens. */
  readonly disabledAt: Date | null;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: UserRole;
  email: string | null;
  slack_user_id: string | null;
  created_at: Date;
  password_changed_at: Date;
  last_login_at: Date | null;
  disabled_at: Date | null;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role,
  email: row.email,
  slackUserId: row.slack_user_id ?? null,
  createdAt: row.created_at,
  passwordChangedAt: row.password_changed_at,
  lastLoginAt: row.last_login_at,
  disabledAt: row.disabled_at,
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

  /** The user linked to Slack user `slackUserId` (`U…`), if any. */
  async findBySlackUserId(slackUserId: string): Promise<UserRecord | undefined> {
    const row = await this.#knex<UserRow>('users').where({ slack_user_id: slackUserId }).first();
    return row === undefined ? undefined : toRecord(row);
  }

  /** Every user, by login name. */
  async list(): Promise<UserRecord[]> {
    const rows = await this.#knex<UserRow>('users').orderBy('username');
    return rows.map(toRecord);
  }

  /**
   * Creates the user unless one with that name exists. Returns the new user, or undefined
   * when the name was taken (so two concurrent first-run setups cannot both succeed).
   */
  async createIfAbsent(input: {
    username: string;
    passwordHash: string;
    at: Date;
    role?: UserRole;
    email?: string | null;
    slackUserId?: string | null;
  }): Promise<UserRecord | undefined> {
    const rows = (await this.#knex('users')
      .insert({
        username: input.username,
        password_hash: input.passwordHash,
        role: input.role ?? 'admin',
        email: input.email ?? null,
        slack_user_id: input.slackUserId ?? null,
        created_at: input.at,
        password_changed_at: input.at,
      })
      .onConflict('username')
      .ignore()
      .returning('*')) as UserRow[];
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  /**
   * Changes a user's role, e-mail, Slack user or disabled state; returns the updated user (undefined when
   * there is none). With `keepAnAdmin`, the change is undone and `keepAnAdmin()` thrown when it
   * would leave no enabled admin; the enabled admins are locked meanwhile, so two admins
   * demoting each other at once cannot both succeed.
   */
  async update(
    id: string,
    change: {
      role?: UserRole;
      email?: string | null;
      slackUserId?: string | null;
      disabledAt?: Date | null;
    },
    options: { keepAnAdmin?: () => Error } = {},
  ): Promise<UserRecord | undefined> {
    const patch: Partial<UserRow> = {};
    if (change.role !== undefined) patch.role = change.role;
    if (change.email !== undefined) patch.email = change.email;
    if (change.slackUserId !== undefined) patch.slack_user_id = change.slackUserId;
    if (change.disabledAt !== undefined) patch.disabled_at = change.disabledAt;
    if (Object.keys(patch).length === 0) return this.findById(id);
    return this.#knex.transaction(async (trx) => {
      const enabledAdmins = () => trx('users').where({ role: 'admin', disabled_at: null });
      if (options.keepAnAdmin !== undefined) await enabledAdmins().forUpdate().select('id');
      const rows = (await trx('users').where({ id }).update(patch).returning('*')) as UserRow[];
      if (options.keepAnAdmin !== undefined && (await enabledAdmins().first('id')) === undefined) {
        throw options.keepAnAdmin();
      }
      return rows[0] === undefined ? undefined : toRecord(rows[0]);
    });
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
