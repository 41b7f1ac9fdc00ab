import type { PluginHost } from '@akmatori/core';
import type { FastifyInstance } from 'fastify';
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
      schema: {
        tags: ['auth'],
        summary: 'The caller: a user or an API token',
        response: {
          200: {
            type: 'object',
            required: ['kind', 'id', 'name'],
            properties: {
              kind: { type: 'string', enum: ['user', 'api_token'] },
              id: { type: 'string' },
              name: { type: 'string' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => request.principal,
  );

  app.get(
    '/plugins',
    {
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
