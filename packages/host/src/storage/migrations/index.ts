import type { Knex } from 'knex';
import { foundation } from './0001_foundation.js';
import { alertsAndIncidents } from './0002_alerts_and_incidents.js';
import { toolInstances } from './0003_tool_instances.js';
import { contextFiles } from './0004_context_files.js';
import { skills } from './0005_skills.js';
import { gateway } from './0006_gateway.js';
import { runs } from './0007_runs.js';
import { skillScopes } from './0008_skill_scopes.js';
import { spendBudgets } from './0009_spend_budgets.js';
import { accounts } from './0010_accounts.js';
import { loginAttempts } from './0011_login_attempts.js';
import { workerTokens } from './0012_worker_tokens.js';
import { webhookAuth } from './0013_webhook_auth.js';
import { retention } from './0014_retention.js';
import { operatorAudit } from './0015_operator_audit.js';
import { incidentState } from './0016_incident_state.js';
import { webhookDeliveries } from './0017_webhook_deliveries.js';
import { slack } from './0018_slack.js';
import { slackUsers } from './0019_slack_users.js';
import { sourceRunner } from './0020_source_runner.js';
import { runRecordings } from './0021_run_recordings.js';
import { evalScorecards } from './0022_eval_scorecards.js';
import { alertsByIncident } from './0023_alerts_by_incident.js';
import type { Migration } from './migration.js';

/** Every migration, in order. Append new ones; never edit or reorder applied ones. */
export const migrations: readonly Migration[] = Object.freeze([
  foundation,
  alertsAndIncidents,
  toolInstances,
  contextFiles,
  skills,
  gateway,
  runs,
  skillScopes,
  spendBudgets,
  accounts,
  loginAttempts,
  workerTokens,
  webhookAuth,
  retention,
  operatorAudit,
  incidentState,
  webhookDeliveries,
  slack,
  slackUsers,
  sourceRunner,
  runRecordings,
  evalScorecards,
  alertsByIncident,
]);

/** Name of the table knex records applied migrations in. */
export const migrationsTable = 'akmatori_migrations';

/** Feeds {@link migrations} to knex without reading the filesystem, so it works from `dist/`. */
export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};
