import type { FastifyInstance } from 'fastify';
import type { OperatorAudit } from '../audit/operator-audit.js';
import { errorResponses } from '../server/error-handler.js';

/** `GET /api/audit`: who changed what through the API (admin). */
export async function auditRoutes(
  app: FastifyInstance,
  options: { audit: OperatorAudit },
): Promise<void> {
  app.get<{ Querystring: { before?: number; actor_id?: string; limit: number } }>(
    '/audit',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'The operator audit: every accepted change made through the API, newest first',
        description:
          'Each entry names the user or token, the method and route, its path parameters and the status; never a request body. Page with `before` (the last id seen).',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            before: { type: 'integer', minimum: 1 },
            actor_id: { type: 'string', format: 'uuid' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'at', 'actor_kind', 'actor_name', 'action', 'target', 'status'],
                  properties: {
                    id: { type: 'integer' },
                    at: { type: 'string', format: 'date-time' },
                    actor_kind: { type: 'string', enum: ['user', 'api_token', 'anonymous'] },
                    actor_id: { type: ['string', 'null'] },
                    actor_name: { type: 'string' },
                    action: { type: 'string', description: 'e.g. PATCH /api/users/:id' },
                    target: { type: 'object', additionalProperties: true },
                    status: { type: 'integer' },
                    client_address: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      data: await options.audit.list({
        beforeId: request.query.before,
        actorId: request.query.actor_id,
        limit: request.query.limit,
      }),
    }),
  );
}
