import type { Knex } from 'knex';

/** Reads and writes `settings`: small JSON values by key. */
export class SettingsRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** The value stored under `key`, or undefined. */
  async get<T>(key: string): Promise<T | undefined> {
    const row = (await this.#knex('settings').select('value').where({ key }).first()) as
      { value: T } | undefined;
    return row?.value;
  }

  /** Stores `value` under `key`, replacing what was there. */
  async set(key: string, value: unknown, at: Date = new Date()): Promise<void> {
    await this.#knex('settings')
      .insert({ key, value: JSON.stringify(value), updated_at: at })
      .onConflict('key')
      .merge(['value', 'updated_at']);
  }

  /** Removes `key`; true when it was there. */
  async delete(key: string): Promise<boolean> {
    return (await this.#knex('settings').where({ key }).delete()) > 0;
  }

  /**
   * Stores `value` under `key` only if nothing is there, and returns what is stored
   * afterwards: this call's value, or the one another process stored first.
   */
  async setIfAbsent<T>(key: string, value: T, at: Date = new Date()): Promise<T> {
    await this.#knex('settings')
      .insert({ key, value: JSON.stringify(value), updated_at: at })
      .onConflict('key')
      .ignore();
    return (await this.get<T>(key)) as T;
  }
}
