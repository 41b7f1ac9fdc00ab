import type { UserRecord, UserRole } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import type { Accounts } from '../auth/accounts.js';
import type { SessionRecord } from '../auth/sessions.js';
import { roles } from '../auth/roles.js';
import { errorResponses } from '../server/error-handler.js';

const roleProperty = {
  type: 'string',
  enum: roles,
  description:
    'viewer: reads incidents and reports; responder: also acts on incidents and approvals; admin: also manages everything',
} as const;

const userSchema = {
  $id: 'User',
  type: 'object',
  required: [
    'id',
    'username',
    'role',
    'email',
    'slack_user_id',
    'disabled',
    'created_at',
    'last_login_at',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    username: { type: 'string' },
    role: roleProperty,
    email: { type: ['string', 'null'] },
    slack_user_id: {
      type: ['string', 'null'],
      description: 'The Slack user this user acts as in Slack; null: matched by e-mail',
    },
    disabled: { type: 'boolean' },
    disabled_at: { type: ['string', 'null'], format: 'date-time' },
    created_at: { type: 'string', format: 'date-time' },
    password_changed_at: { type: 'string', format: 'date-time' },
    last_login_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const sessionSchema = {
  $id: 'Session',
  type: 'object',
  required: ['id', 'created_at', 'last_used_at', 'expires_at'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    created_at: { type: 'string', format: 'date-time' },
    last_used_at: { type: 'string', format: 'date-time' },
    expires_at: { type: 'string', format: 'date-time' },
    client_address: { type: ['string', 'null'] },
    user_agent: { type: ['string', 'null'] },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

const usernameProperty = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]*$',
  description: 'Letters, digits and . _ @ - (starting with a letter or digit)',
} as const;
const passwordProperty = { type: 'string', minLength: 8, maxLength: 1024 } as const;
const emailProperty = { type: ['string', 'null'], format: 'email', maxLength: 320 } as const;
const slackUserIdProperty = {
  type: ['string', 'null'],
  pattern: '^[UW][A-Z0-9]{2,30}$',
  description:
    "The Slack member id (U…, W… on Enterprise Grid; Slack profile → ⋮ → Copy member ID) this user acts as in Slack's buttons and commands; null unlinks, and Slack users are then matched by e-mail address",
} as const;

const userJson = (user: UserRecord): Record<string, unknown> => ({
  id: user.id,
  username: user.username,
  role: user.role,
  email: user.email,
  slack_user_id: user.slackUserId,
  disabled: user.disabledAt !== null,
  disabled_at: user.disabledAt?.toISOString() ?? null,
  created_at: user.createdAt.toISOString(),
  password_changed_at: user.passwordChangedAt.toISOString(),
  last_login_at: user.lastLoginAt?.toISOString() ?? null,
});

const sessionJson = (session: SessionRecord): Record<string, unknown> => ({
  id: session.id,
  created_at: session.createdAt.toISOString(),
  last_used_at: session.lastUsedAt.toISOString(),
  expires_at: session.expiresAt.toISOString(),
  client_address: session.clientAddress,
  user_agent: session.userAgent,
});

interface UserPatch {
  role?: UserRole;
  email?: string | null;
  slack_user_id?: string | null;
  disabled?: boolean;
  password?: string;
}

/**
 * `/api/users` (admin): create users with a role, list them, change a role, e-mail or
 * password, disable or enable them, and list or end their sessions.
 */
export async function userRoutes(
  app: FastifyInstance,
  options: { accounts: Accounts },
): Promise<void> {
  const { accounts } = options;
  app.addSchema(userSchema);
  app.addSchema(sessionSchema);

  app.post<{
    Body: {
      username: string;
      password: string;
      role: UserRole;
      email?: string | null;
      slack_user_id?: string | null;
    };
  }>(
    '/users',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: {
          type: 'object',
          required: ['username', 'password', 'role'],
          additionalProperties: false,
          properties: {
            username: usernameProperty,
            password: passwordProperty,
            role: roleProperty,
            email: emailProperty,
            slack_user_id: slackUserIdProperty,
          },
        },
        response: { 201: { $ref: 'User#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { slack_user_id: slackUserId, ...rest } = request.body;
      const user = await accounts.createUser({
        ...rest,
        ...(slackUserId === undefined ? {} : { slackUserId }),
      });
      request.log.info({ user: user.id, username: user.username, role: user.role }, 'user created');
      return reply.status(201).send(userJson(user));
    },
  );

  app.get(
    '/users',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'List users',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'User#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ data: (await accounts.listUsers()).map(userJson) }),
  );

  app.get<{ Params: { id: string } }>(
    '/users/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'One user',
        params: idParams,
        response: { 200: { $ref: 'User#' }, ...errorResponses },
      },
    },
    async (request) => userJson(await accounts.getUser(request.params.id)),
  );

  app.patch<{ Params: { id: string }; Body: UserPatch }>(
    '/users/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Change a user: role, e-mail, Slack user, password, or disable/enable',
        description:
          'Disabling a user or setting its password ends its sessions at once; a new role applies from its next request, to its API tokens too. A change that would leave no enabled admin is refused (409 AKM_LAST_ADMIN); so is a slack_user_id already linked to another user (409 AKM_SLACK_USER_TAKEN).',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            role: roleProperty,
            email: emailProperty,
            slack_user_id: slackUserIdProperty,
            disabled: { type: 'boolean' },
            password: passwordProperty,
          },
        },
        response: { 200: { $ref: 'User#' }, ...errorResponses },
      },
    },
    async (request) => {
      const { password, slack_user_id: slackUserId, ...rest } = request.body;
      const user = await accounts.updateUser(request.params.id, {
        ...rest,
        ...(password === undefined ? {} : { password }),
        ...(slackUserId === undefined ? {} : { slackUserId }),
      });
      request.log.info(
        {
          user: user.id,
          change: {
            ...rest,
            ...(slackUserId === undefined ? {} : { slack_user_id: slackUserId }),
            ...(password === undefined ? {} : { password: 'set' }),
          },
        },
        'user changed',
      );
      return userJson(user);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/users/:id/sessions',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: "A user's live sessions (never their tokens)",
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'Session#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      data: (await accounts.listSessions(request.params.id)).map(sessionJson),
    }),
  );

  app.delete<{ Params: { id: string } }>(
    '/users/:id/sessions',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'End every session of a user (its open event sockets close too)',
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['ended'],
            properties: { ended: { type: 'integer', description: 'How many sessions ended' } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const ended = await accounts.endSessions(request.params.id);
      request.log.info({ user: request.params.id, ended }, 'sessions ended by an admin');
      return { ended };
    },
  );
}
