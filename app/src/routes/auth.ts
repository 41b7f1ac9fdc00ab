import { isAkmatoriError } from '@akmatori/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { adminUsername, type Accounts, type LoginClient } from '../auth/accounts.js';
import type { Principal } from '../auth/principal.js';
import type { IssuedSession } from '../auth/sessions.js';
import type { OperatorAudit } from '../audit/operator-audit.js';
import { recordChange } from '../server/authentication.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { SetupCode } from '../auth/setup-code.js';
import { AppErrors } from '../errors.js';
import { errorResponses } from '../server/error-handler.js';

/** A new session as login, setup and a password change answer it. */
export const sessionSchema = {
  type: 'object',
  required: ['token', 'expires_at'],
  properties: {
    token: {
      type: 'string',
      description:
        'A session token (aks_...): send as Authorization: Bearer <token>. It is renewed while in use and ends at logout, a password change, or when an admin ends it',
    },
    expires_at: {
      type: 'string',
      format: 'date-time',
      description:
        'When it stops working unless used before then (AKMATORI_SESSION_TTL after its last use)',
    },
  },
} as const;

/** The user a new session belongs to, as the operator audit names it. */
function actorOf(session: IssuedSession, username: string): Principal {
  return {
    kind: 'user',
    id: session.userId,
    name: username,
    role: 'viewer',
    sessionId: session.sessionId,
  };
}

/** Where a login came from, kept with its session. */
export function clientOf(request: FastifyRequest): LoginClient {
  return { address: request.ip, userAgent: request.headers['user-agent'] };
}

interface LoginBody {
  username: string;
  password: string;
}

interface SetupBody {
  password: string;
  setup_code?: string;
}

/**
 * `GET /auth/setup-status`, `POST /auth/setup` (first run, once; with the one-time setup code
 * on a server others can reach) and `POST /auth/login`. Failed logins are throttled per
 * account and per client address, failed setups per client address, counted in the database
 * so the limits hold across replicas (see {@link LoginThrottle}).
 */
export async function authRoutes(
  app: FastifyInstance,
  options: {
    accounts: Accounts;
    throttle: LoginThrottle;
    setupCode: SetupCode;
    audit: OperatorAudit;
  },
): Promise<void> {
  const { accounts, throttle, setupCode, audit } = options;

  app.get(
    '/auth/setup-status',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether first-run setup is still needed, and whether it needs the setup code',
        response: {
          200: {
            type: 'object',
            required: ['setup_required', 'setup_code_required'],
            properties: {
              setup_required: { type: 'boolean' },
              setup_code_required: {
                type: 'boolean',
                description:
                  'Setup needs the one-time setup code printed in the server log at start (the server is reachable from other machines)',
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => {
      const required = await accounts.setupRequired();
      return { setup_required: required, setup_code_required: required && setupCode.needed };
    },
  );

  app.post<{ Body: SetupBody }>(
    '/auth/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set the admin password on a new install (works once) and log in',
        description:
          'On a server reachable from other machines this needs `setup_code`, the one-time code printed in the server log at start. Failed setups count against the client address (429 with Retry-After past the limit).',
        body: {
          type: 'object',
          required: ['password'],
          additionalProperties: false,
          properties: {
            password: { type: 'string', minLength: 8, maxLength: 1024 },
            setup_code: {
              type: 'string',
              maxLength: 64,
              description:
                'The one-time setup code from the server log (see GET /auth/setup-status)',
            },
          },
        },
        response: { 201: sessionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await throttle.attempt({ address: request.ip }, async () => {
        if (!(await accounts.setupRequired())) throw AppErrors.AKM_SETUP_ALREADY_DONE();
        await setupCode.check(request.body.setup_code);
        return accounts.setup(request.body.password, clientOf(request));
      });
      await setupCode.retire();
      request.log.info({ address: request.ip }, 'first-run setup completed');
      await recordChange(audit, request, 201, actorOf(session, adminUsername));
      return reply
        .status(201)
        .send({ token: session.token, expires_at: session.expiresAt.toISOString() });
    },
  );

  app.post<{ Body: LoginBody }>(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in; returns a session token',
        description:
          'Failed logins count against the account named and the client address; past either limit the answer is 429 with Retry-After, without the password being checked.',
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 200 },
            password: { type: 'string', minLength: 1, maxLength: 1024 },
          },
        },
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      try {
        const session = await throttle.attempt({ account: username, address: request.ip }, () =>
          accounts.login(username, password, clientOf(request)),
        );
        request.log.info({ username, address: request.ip }, 'login succeeded');
        await recordChange(audit, request, 200, actorOf(session, username));
        return { token: session.token, expires_at: session.expiresAt.toISOString() };
      } catch (error) {
        const refused = isAkmatoriError(error, AppErrors.AKM_RATE_LIMITED);
        request.log.warn(
          { username, address: request.ip },
          refused ? 'login refused: too many failed attempts' : 'login failed',
        );
        throw error;
      }
    },
  );
}
