import type { PluginHost } from '@akmatori/core';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { errorResponses } from '../server/error-handler.js';

const idList = { type: 'array', items: { type: 'string' } } as const;

/** `GET /api/me` (who is calling) and `GET /api/plugins` (what is loaded). */
export async function systemRoutes(
  app: FastifyInstance,
  options: { plugins: PluginHost },
): Promise<void> {
  app.get(
    '/me',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'The caller: a user or an API token, and its role',
        response: {
          200: {
            type: 'object',
            required: ['kind', 'id', 'name', 'role'],
            properties: {
              kind: { type: 'string', enum: ['user', 'api_token'] },
              id: { type: 'string' },
              name: { type: 'string' },
              role: {
                type: 'string',
                enum: ['viewer', 'responder', 'admin'],
                description: "What the caller may do now (a token: never above its creator's role)",
              },
              session_id: { type: 'string', description: 'The session (users only)' },
              expires_at: {
                type: ['string', 'null'],
                format: 'date-time',
                description: 'When the token stops working (tokens only)',
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      const base = {
        kind: principal.kind,
        id: principal.id,
        name: principal.name,
        role: principal.role,
      };
      return principal.kind === 'user'
        ? { ...base, session_id: principal.sessionId }
        : { ...base, expires_at: principal.expiresAt?.toISOString() ?? null };
    },
  );

  app.get(
    '/plugins',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['plugins'],
        summary: 'Loaded plugins and what each contributes',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'adapters', 'tools', 'runners', 'notifiers'],
                  properties: {
                    name: { type: 'string' },
                    version: { type: ['string', 'null'] },
                    adapters: idList,
                    tools: idList,
                    runners: idList,
                    notifiers: idList,
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({
      data: options.plugins.plugins.map((plugin) => ({
        ...plugin,
        version: plugin.version ?? null,
      })),
    }),
  );
}
