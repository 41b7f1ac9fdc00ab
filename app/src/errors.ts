import { defineErrorCatalog } from '@akmatori/core';

/**
 * Every error the app raises, with its stable code and HTTP status. Fastify's own errors
 * (`FST_*`) keep their codes; anything unexpected becomes `AKM_INTERNAL`.
 */
export const AppErrors = defineErrorCatalog({
  AKM_AUTH_REQUIRED: {
    status: 401,
    message: () => 'Authentication required: send Authorization: Bearer <login token or API token>',
  },
  AKM_AUTH_INVALID_TOKEN: {
    status: 401,
    message: (p: { reason: string }) => `Invalid token: ${p.reason}`,
  },
  AKM_WORKER_TOKEN_INVALID: {
    status: 401,
    message: (p: { reason: string }) =>
      `Worker refused: ${p.reason}. An admin creates worker tokens with POST /api/workers/tokens; the worker reads its own from AKMATORI_WORKER_TOKEN`,
  },
  AKM_METRICS_TOKEN_REQUIRED: {
    status: 401,
    message: () =>
      "/metrics needs Authorization: Bearer <AKMATORI_METRICS_TOKEN> (Prometheus: the scrape config's authorization.credentials or credentials_file)",
  },
  AKM_AUTH_INVALID_CREDENTIALS: {
    status: 401,
    message: () => 'Wrong username or password',
  },
  AKM_SETUP_REQUIRED: {
    status: 409,
    message: () => 'No admin password is set yet: complete first-run setup with POST /auth/setup',
  },
  AKM_SETUP_ALREADY_DONE: {
    status: 409,
    message: () => 'Setup is already complete: log in with POST /auth/login',
  },
  AKM_SETUP_CODE_REQUIRED: {
    status: 403,
    message: () =>
      'This server is reachable from other machines, so first-run setup needs the one-time setup code printed in its log at start ("setup code"): send it as setup_code',
  },
  AKM_SETUP_CODE_INVALID: {
    status: 403,
    message: () =>
      'Wrong setup code: use the one-time code printed in the server log at start ("setup code")',
  },
  AKM_RATE_LIMITED: {
    status: 429,
    message: (p: { retryAfterSeconds: number }) =>
      `Too many attempts; try again in ${p.retryAfterSeconds} s`,
  },
  AKM_VALIDATION: {
    status: 400,
    message: (p: { reason: string }) => p.reason,
  },
  AKM_ROUTE_NOT_FOUND: {
    status: 404,
    message: (p: { method: string; url: string }) => `No route ${p.method} ${p.url}`,
  },
  AKM_DASHBOARD_NOT_BUILT: {
    status: 503,
    message: () =>
      'The dashboard is not built: run npm run build:web (npm run build builds it too); the API and its docs at /api/docs work without it',
  },
  AKM_NOT_FOUND: {
    status: 404,
    message: (p: { what: string; id: string }) => `No ${p.what} with id ${p.id}`,
  },
  AKM_EXPIRY_IN_PAST: {
    status: 400,
    message: () => 'expires_at must be in the future',
  },
  AKM_SOURCE_NOT_FOUND: {
    status: 404,
    message: () => 'No enabled alert source at this URL',
  },
  AKM_WEBHOOK_UNAUTHORIZED: {
    status: 401,
    message: (p: { how: string; reason?: string }) =>
      `The webhook secret is missing or wrong${p.reason === undefined ? '' : ` (${p.reason})`}. This source accepts: ${p.how}`,
  },
  AKM_WEBHOOK_SIGNATURE_STALE: {
    status: 401,
    message: (p: { offSeconds: number; toleranceSeconds: number }) =>
      `The signature's timestamp is ${p.offSeconds} s off this server's clock; signed requests are accepted for ${p.toleranceSeconds} s either side (check the sender's clock)`,
  },
  AKM_WEBHOOK_REPLAYED: {
    status: 409,
    message: () =>
      'This signature was already accepted for this source: a replayed request is not processed again',
  },
  AKM_INBOX_JOURNAL_CLOSED: {
    status: 503,
    message: () =>
      'The server is shutting down and no longer accepts alerts: send them again later',
  },
  AKM_INBOX_JOURNAL_WRITE_FAILED: {
    status: 503,
    message: (p: { reason: string }) =>
      `The alerts could not be stored (${p.reason}): they were not accepted, send them again`,
  },
  AKM_INBOX_JOURNAL_DAMAGED: {
    status: 500,
    message: (p: { file: string; offset: number }) =>
      `The inbox journal ${p.file} is damaged at byte ${p.offset}: its alerts cannot be read (restart Akmatori to cut the journal back to its last intact write)`,
  },
  AKM_WEBHOOK_RATE_LIMITED: {
    status: 429,
    message: (p: { limitPerMinute: number; retryAfterSeconds: number }) =>
      `This source accepts ${p.limitPerMinute} requests a minute; try again in ${p.retryAfterSeconds} s (or raise its rate_limit_per_minute)`,
  },
  AKM_SOURCE_SECRET_REQUIRED: {
    status: 400,
    message: () =>
      'An alert source needs a webhook_secret. To accept alerts from anyone who can reach its URL, pass allow_unauthenticated: true',
  },
  AKM_UNKNOWN_SOURCE_TYPE: {
    status: 400,
    message: (p: { type: string; known: string[] }) =>
      `Unknown alert source type "${p.type}"; known types: ${p.known.join(', ') || 'none'}`,
  },
  AKM_SOURCE_CONFIG_INVALID: {
    status: 400,
    message: (p: { problems: string[] }) => `Invalid alert source config: ${p.problems.join('; ')}`,
  },
  AKM_SKILL_INVALID: {
    status: 400,
    message: (p: { name: string; problems: string[] }) =>
      `Skill "${p.name}" is not valid: ${p.problems.join('; ')}`,
  },
  AKM_SKILL_EXISTS: {
    status: 409,
    message: (p: { name: string }) => `A skill named "${p.name}" already exists`,
  },
  AKM_SKILL_PATH_INVALID: {
    status: 400,
    message: (p: { path: string }) =>
      `"${p.path}" is not a file path inside the skill's scripts/, references/ or assets/ folder`,
  },
  AKM_UNKNOWN_TOOL_INSTANCE: {
    status: 400,
    message: (p: { ids: string[] }) => `No tool instance with id ${p.ids.join(', ')}`,
  },
  AKM_UNKNOWN_SKILL: {
    status: 400,
    message: (p: { name: string; reason: string }) => `Cannot use skill "${p.name}": ${p.reason}`,
  },
  AKM_UNKNOWN_RUNNER: {
    status: 400,
    message: (p: { runner: string; installed: string[] }) =>
      `Unknown runner "${p.runner}"; installed runners: ${p.installed.join(', ') || 'none'}`,
  },
  AKM_UNKNOWN_TOOL_TYPE: {
    status: 400,
    message: (p: { type: string; known: string[] }) =>
      `Unknown tool type "${p.type}"; known types: ${p.known.join(', ') || 'none'}`,
  },
  AKM_TOOL_SETTINGS_INVALID: {
    status: 400,
    message: (p: { problems: string[] }) => `Invalid tool settings: ${p.problems.join('; ')}`,
  },
  AKM_SECRET_DESTINATION_CHANGED: {
    status: 400,
    message: (p: { fields: string[]; secrets: string[] }) =>
      `Changing ${p.fields.join(', ')} changes where the stored ${p.secrets.join(' and ')} ${p.secrets.length === 1 ? 'is' : 'are'} sent: enter ${p.secrets.join(' and ')} again in the same request`,
  },
  AKM_TOOL_NAME_TAKEN: {
    status: 409,
    message: (p: { name: string }) => `A tool instance named "${p.name}" already exists`,
  },
  AKM_CONTEXT_FILE_TYPE_UNSUPPORTED: {
    status: 415,
    message: (p: { name: string; allowed: string[] }) =>
      `Context file "${p.name}" has a type that is not accepted; allowed extensions: ${p.allowed.join(' ')}`,
  },
  AKM_CONTEXT_FILE_CONTENT_MISMATCH: {
    status: 415,
    message: (p: { name: string; reason: string }) =>
      `Context file "${p.name}" refused: ${p.reason}`,
  },
  AKM_CONTEXT_FILE_TOO_LARGE: {
    status: 413,
    message: (p: { maxBytes: number }) => `Context files may be at most ${p.maxBytes} bytes`,
  },
  AKM_CONTEXT_FILE_NAME_TAKEN: {
    status: 409,
    message: (p: { name: string }) =>
      `A context file named "${p.name}" already exists; delete it first or rename the upload`,
  },
  AKM_APPROVAL_DECIDED: {
    status: 409,
    message: (p: { id: string; status: string }) =>
      `Approval ${p.id} is already ${p.status}: it can no longer be decided`,
  },
  AKM_FORBIDDEN: {
    status: 403,
    message: (p: { needed: string; held: string }) =>
      `This needs the ${p.needed} role; you have ${p.held}`,
  },
  AKM_USER_DISABLED: {
    status: 403,
    message: () => 'This user is disabled: an admin can enable it again',
  },
  AKM_PASSWORD_INCORRECT: {
    status: 403,
    message: () => 'The current password is wrong',
  },
  AKM_USERNAME_TAKEN: {
    status: 409,
    message: (p: { username: string }) => `A user named "${p.username}" already exists`,
  },
  AKM_LAST_ADMIN: {
    status: 409,
    message: () => 'This would leave no enabled admin: make another user admin first',
  },
  AKM_TOKEN_EXCEEDS_CREATOR: {
    status: 403,
    message: (p: { reason: string }) =>
      `A token cannot be given more than its creator has: ${p.reason}`,
  },
  AKM_TICKET_INVALID: {
    status: 401,
    message: () =>
      'Unknown, used or expired event ticket: get a new one with POST /api/events/ticket (tickets work once, within 30 seconds)',
  },
  AKM_ADMIN_ONLY: {
    status: 403,
    message: (p: { what: string }) =>
      `Only an admin logged in as a user (not an API token) can ${p.what}`,
  },
  AKM_SESSION_REQUIRED: {
    status: 403,
    message: (p: { what: string }) => `Only a user logged in with a session can ${p.what}`,
  },
  AKM_INCIDENT_NOT_RUNNING: {
    status: 409,
    message: (p: { id: string; status: string }) =>
      `Incident ${p.id} is ${p.status}: there is no investigation to cancel`,
  },
  AKM_INCIDENT_BUSY: {
    status: 409,
    message: (p: { id: string; status: string }) =>
      `Incident ${p.id} is ${p.status}: wait for its run to finish`,
  },
  AKM_INCIDENT_STATE_CONFLICT: {
    status: 409,
    message: (p: { id: string; state: string; action: string; from: string[] }) =>
      `Incident ${p.id} is ${p.state}: ${p.action} applies only to ${p.from.join(' or ')} incidents`,
  },
  AKM_NO_SESSION: {
    status: 409,
    message: (p: { id: string }) =>
      `Incident ${p.id} has no finished agent session to follow up on yet`,
  },
  AKM_SLACK_NOT_CONFIGURED: {
    status: 409,
    message: (p: { reason: string }) => `Slack is not ready: ${p.reason}`,
  },
  AKM_SLACK_USER_TAKEN: {
    status: 409,
    message: (p: { slackUserId: string; username: string }) =>
      `Slack user ${p.slackUserId} is already linked to the user "${p.username}"`,
  },
  AKM_SLACK_ERROR: {
    status: 502,
    message: (p: { error: string }) => `Slack refused the call: ${p.error}`,
  },
  AKM_RUN_TOKEN_KEY_MISSING: {
    status: 503,
    message: () => 'No run token key yet: start the API once (`akmatori serve`) to create it',
  },
  AKM_REPLAY_NOT_RECORDED: {
    status: 409,
    message: (p: { reason: string }) => `This run cannot be replayed: ${p.reason}`,
  },
  AKM_REPLAY_UNAVAILABLE: {
    status: 503,
    message: (p: { reason: string }) => `The replay cannot run here: ${p.reason}`,
  },
  AKM_GATEWAY_ROLE_INVALID: {
    status: 500,
    message: (p: { role: string }) =>
      `role must be a plain lower-case PostgreSQL name, not ${JSON.stringify(p.role)}`,
  },
  AKM_POSTGRES_REQUIRED: {
    status: 500,
    message: (p: { what: string; settings: string; why: string }) =>
      `${p.what} needs PostgreSQL (${p.settings}): ${p.why}`,
  },
  AKM_GATEWAY_SECRET_KEY_REQUIRED: {
    status: 500,
    message: () =>
      'akmatori gateway needs the secret key the API uses: set AKMATORI_SECRET_KEY (or share the data directory with its secret.key)',
  },
  AKM_WORKER_TOKEN_REQUIRED: {
    status: 500,
    message: () =>
      'akmatori worker needs AKMATORI_WORKER_TOKEN: a worker token an admin creates with POST /api/workers/tokens',
  },
  AKM_ROUTE_ROLE_MISSING: {
    status: 500,
    message: (p: { method: string; url: string; roles: readonly string[] }) =>
      `route ${p.method} ${p.url} declares no role: set config.role to one of ${p.roles.join(', ')}`,
  },
  AKM_PORT_IN_USE: {
    status: 500,
    message: (p: { what: string; host: string; port: number; setting: string }) =>
      `Cannot start: ${p.host}:${p.port}, the port of ${p.what}, is already in use. Set ${p.setting} to a free port (0 picks one), or stop what listens there`,
  },
  AKM_INTERNAL: {
    status: 500,
    message: (p: { requestId: string }) =>
      `Internal error (request ${p.requestId}); see the server log`,
  },
});
