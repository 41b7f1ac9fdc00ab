import type { FastifyInstance } from 'fastify';
import type { Accounts } from '../auth/accounts.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { UserPrincipal } from '../auth/principal.js';
import { AppErrors } from '../errors.js';
import { errorResponses } from '../server/error-handler.js';
import { clientOf, sessionSchema } from './auth.js';

/** Only a logged-in user (not an API token) has a session or a password. */
function userOf(principal: unknown, what: string): UserPrincipal {
  const user = principal as UserPrincipal | null;
  if (user?.kind !== 'user') throw AppErrors.AKM_SESSION_REQUIRED({ what });
  return user;
}

/**
 * `POST /auth/logout` (ends the caller's session) and `POST /auth/password` (changes the
 * caller's password, ending all of that user's sessions and answering with a new one).
 * Registered in an authenticated scope.
 */
export async function sessionRoutes(
  app: FastifyInstance,
  options: { accounts: Accounts; throttle: LoginThrottle },
): Promise<void> {
  const { accounts, throttle } = options;

  app.post(
    '/auth/logout',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Log out: the session token stops working at once, on every replica',
        response: { 204: { type: 'null', description: 'Logged out' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = userOf(request.principal, 'log out (an API token is revoked instead)');
      await accounts.logout(user.sessionId);
      request.log.info({ user: user.id }, 'logged out');
      return reply.status(204).send();
    },
  );

  app.post<{ Body: { current_password: string; new_password: string } }>(
    '/auth/password',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Change your password: ends all of your sessions and returns a new one',
        description:
          'A wrong current password is 403 AKM_PASSWORD_INCORRECT and counts as a failed login (429 with Retry-After past the limit).',
        body: {
          type: 'object',
          required: ['current_password', 'new_password'],
          additionalProperties: false,
          properties: {
            current_password: { type: 'string', minLength: 1, maxLength: 1024 },
            new_password: { type: 'string', minLength: 8, maxLength: 1024 },
          },
        },
        response: { 200: sessionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = userOf(request.principal, 'change a password (log in as the user)');
      // A wrong current password counts like a failed login, so a stolen session cannot be
      // used to guess the password.
      const session = await throttle.attempt({ account: user.name, address: request.ip }, () =>
        accounts.changePassword(
          user.id,
          request.body.current_password,
          request.body.new_password,
          clientOf(request),
        ),
      );
      request.log.info({ user: user.id }, 'password changed; every session of the user ended');
      return { token: session.token, expires_at: session.expiresAt.toISOString() };
    },
  );
}
