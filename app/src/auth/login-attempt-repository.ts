import type { Knex } from 'knex';

/** What a login attempt is counted against: the account it named, or where it came from. */
export type AttemptScope = 'account' | 'address';

/** One counted subject: its scope and the hash of its value (a username or an address bucket). */
export interface AttemptSubject {
  readonly scope: AttemptScope;
  readonly subjectHash: string;
}

/** One stored attempt. */
export interface StoredAttempt extends AttemptSubject {
  readonly id: string;
  readonly attemptedAt: Date;
}

interface AttemptRow {
  id: string | number;
  scope: AttemptScope;
  subject_hash: string;
  attempted_at: Date;
}

/**
 * Reads and writes `login_attempts`: the failed (and in-flight) login and setup attempts every
 * API replica on the database counts against.
 */
export class LoginAttemptRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /**
   * Records one attempt at `at` for each subject and returns their ids. First deletes every
   * attempt made at or before `expiredAt`, so the table holds only the current window.
   */
  async record(subjects: readonly AttemptSubject[], at: Date, expiredAt: Date): Promise<string[]> {
    await this.#knex('login_attempts').where('attempted_at', '<=', expiredAt).delete();
    const rows = (await this.#knex('login_attempts')
      .insert(
        subjects.map((s) => ({ scope: s.scope, subject_hash: s.subjectHash, attempted_at: at })),
      )
      .returning('id')) as { id: string | number }[];
    return rows.map((row) => String(row.id));
  }

  /** The attempts of these subjects made after `after`, oldest first. */
  async after(subjects: readonly AttemptSubject[], after: Date): Promise<StoredAttempt[]> {
    if (subjects.length === 0) return [];
    const rows = (await this.#knex('login_attempts')
      .whereIn(
        ['scope', 'subject_hash'],
        subjects.map((s) => [s.scope, s.subjectHash]),
      )
      .andWhere('attempted_at', '>', after)
      .orderBy([
        { column: 'attempted_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])) as AttemptRow[];
    return rows.map((row) => ({
      id: String(row.id),
      scope: row.scope,
      subjectHash: row.subject_hash,
      attemptedAt: new Date(row.attempted_at),
    }));
  }

  /** Deletes the attempts with these ids. */
  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#knex('login_attempts').whereIn('id', ids).delete();
  }

  /** Deletes every attempt of `subject`. */
  async clear(subject: AttemptSubject): Promise<void> {
    await this.#knex('login_attempts')
      .where({ scope: subject.scope, subject_hash: subject.subjectHash })
      .delete();
  }
}
