import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { AdminAccount } from '../auth/admin-account.js';
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

/**
 * `GET /auth/setup-status`, `POST /auth/setup` (first run, once) and `POST /auth/login`.
 * Setup and login are rate-limited per client address.
 */
export async function authRoutes(
  app: FastifyInstance,
  options: { admin: AdminAccount; attemptsPerMinute: number },
): Promise<void> {
  const { admin } = options;
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      AppErrors.AKM_RATE_LIMITED({ retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });
  const limited = { rateLimit: { max: options.attemptsPerMinute, timeWindow: 60_000 } };

  app.get(
    '/auth/setup-status',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether first-run setup is still needed',
        response: {
          200: {
            type: 'object',
            required: ['setup_required'],
            properties: { setup_required: { type: 'boolean' } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ setup_required: await admin.setupRequired() }),
  );

  app.post<{ Body: { password: string } }>(
    '/auth/setup',
    {
      config: limited,
      schema: {
        tags: ['auth'],
        summary: 'Set the admin password on a new install (works once) and log in',
        body: {
          type: 'object',
          required: ['password'],
          additionalProperties: false,
          properties: { password: { type: 'string', minLength: 8, maxLength: 1024 } },
        },
        response: { 201: sessionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await admin.setup(request.body.password);
      request.log.info('first-run setup completed');
      return reply
        .status(201)
        .send({ token: session.token, expires_at: session.expiresAt.toISOString() });
    },
  );

  app.post<{ Body: LoginBody }>(
    '/auth/login',
    {
      config: limited,
      schema: {
        tags: ['auth'],
        summary: 'Log in; returns a login token (JWT)',
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
      try {
        const session = await admin.login(request.body.username, request.body.password);
        request.log.info({ username: request.body.username }, 'login succeeded');
        return { token: session.token, expires_at: session.expiresAt.toISOString() };
      } catch (error) {
        request.log.warn({ username: request.body.username }, 'login failed');
        throw error;
      }
    },
  );
}
