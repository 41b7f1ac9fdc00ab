import type { Database } from '../database.js';
import { ApiTokenRepository } from './api-token-repository.js';
import { SettingsRepository } from './settings-repository.js';
import { UserRepository } from './user-repository.js';

/** Every repository, bound to one database. */
export interface Repositories {
  /** `users` */
  readonly users: UserRepository;
  /** `api_tokens` */
  readonly apiTokens: ApiTokenRepository;
  /** `settings` */
  readonly settings: SettingsRepository;
}

/** Binds every repository to `db`. */
export function createRepositories(db: Database): Repositories {
  return Object.freeze({
    users: new UserRepository(db.knex),
    apiTokens: new ApiTokenRepository(db.knex),
    settings: new SettingsRepository(db.knex),
  });
}
