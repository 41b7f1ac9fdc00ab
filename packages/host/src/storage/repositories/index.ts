import type { Database } from '../database.js';
import { AlertEventRepository } from './alert-event-repository.js';
import { AlertRepository } from './alert-repository.js';
import { AlertSourceRepository } from './alert-source-repository.js';
import { ApiTokenRepository } from './api-token-repository.js';
import { EvalScorecardRepository } from './eval-scorecard-repository.js';
import { IncidentRepository } from './incident-repository.js';
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
  /** `alert_sources` */
  readonly alertSources: AlertSourceRepository;
  /** `alert_events`, the inbox of received alerts */
  readonly alertEvents: AlertEventRepository;
  /** `alerts` */
  readonly alerts: AlertRepository;
  /** `incidents` */
  readonly incidents: IncidentRepository;
  /** `eval_runs`, `eval_results`, `eval_result_skills`: the scorecards of `akmatori eval run` */
  readonly evalScorecards: EvalScorecardRepository;
}

/** Binds every repository to `db`. */
export function createRepositories(db: Database): Repositories {
  return Object.freeze({
    users: new UserRepository(db.knex),
    apiTokens: new ApiTokenRepository(db.knex),
    settings: new SettingsRepository(db.knex),
    alertSources: new AlertSourceRepository(db.knex),
    alertEvents: new AlertEventRepository(db),
    alerts: new AlertRepository(db.knex),
    incidents: new IncidentRepository(db.knex),
    evalScorecards: new EvalScorecardRepository(db.knex),
  });
}
