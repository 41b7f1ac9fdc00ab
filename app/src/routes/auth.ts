import { isAkmatoriError } from '@akmatori/core';
import type { FastifyInstance } from 'fastify';
import type { AdminAccount } from '../auth/admin-account.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { SetupCode } from '../auth/setup-code.js';
import { AppErrors } from '../errors.js';
import { errorResponses } from '../server/error-handler.js';

const sessionSchema = {
  type: 'object',
  required: ['token', 'expires_at'],
  properties: {
    token: { type: 'string', description: 'Send as Authorization: Bearer <token>' },
    expires_at: { type: 'string', format: 'date-time' },
  },
} as const;

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
  options: { admin: AdminAccount; throttle: LoginThrottle; setupCode: SetupCode },
): Promise<void> {
  const { admin, throttle, setupCode } = options;

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
      const required = await admin.setupRequired();
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
        if (!(await admin.setupRequired())) throw AppErrors.AKM_SETUP_ALREADY_DONE();
        await setupCode.check(request.body.setup_code);
        return admin.setup(request.body.password);
      });
      await setupCode.retire();
      request.log.info({ address: request.ip }, 'first-run setup completed');
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
        summary: 'Log in; returns a login token (JWT)',
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
          admin.login(username, password),
        );
        request.log.info({ username, address: request.ip }, 'login succeeded');
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
