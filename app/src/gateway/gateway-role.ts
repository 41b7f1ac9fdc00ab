import { AppErrors } from '../errors.js';

/**
 * The SQL that gives the standalone gateway's PostgreSQL role exactly what it needs: read
 * tool instances and the `gateway_settings` view (not `settings`, which holds the session
 * signing key); the id and status of runs and of their incidents (a token dies with its run,
 * or at once when its incident is cancelled); incidents' alert sources and the usage sums for
 * the spend budgets; append audit and usage records and the runs' recordings; create approval requests and mark its own
 * expired. Nothing else: no UPDATE of tool instances, no DELETE anywhere. Run it as the owner
 * of the tables after `akmatori migrate`; `akmatori gateway --print-grants ROLE` prints it.
 *
 * @example
 * ```ts
 * await database.executeSql(gatewayRoleGrants('akmatori_gateway'));
 * ```
 */
export function gatewayRoleGrants(role: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw AppErrors.AKM_GATEWAY_ROLE_INVALID({ role });
  return [
    `grant select on tool_instances, gateway_settings to ${role};`,
    `grant select (id, source_id, status) on incidents to ${role};`,
    `grant select (id, incident_id, status) on runs to ${role};`,
    `grant select on model_usage to ${role};`,
    `grant insert on tool_calls, model_usage, run_recordings to ${role};`,
    `grant usage on sequence tool_calls_id_seq, model_usage_id_seq, run_recordings_id_seq to ${role};`,
    `grant select, insert on approvals to ${role};`,
    `grant update (status, decided_at, reason) on approvals to ${role};`,
  ].join('\n');
}
