import type { FastifyInstance } from 'fastify';
import type { ToolCallLog } from '../gateway/tool-call-log.js';
import { errorResponses } from '../server/error-handler.js';

/** `GET /api/incidents/{uuid}/tool-calls`: the audit log of an incident's tool calls. */
export async function toolCallRoutes(
  app: FastifyInstance,
  options: { log: ToolCallLog },
): Promise<void> {
  app.get<{ Params: { uuid: string }; Querystring: { after: number; limit: number } }>(
    '/incidents/:uuid/tool-calls',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['incidents'],
        summary: "The incident's tool calls from the audit log, oldest first (secrets scrubbed)",
        params: {
          type: 'object',
          required: ['uuid'],
          properties: { uuid: { type: 'string', format: 'uuid' } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: {
              type: 'integer',
              minimum: 0,
              default: 0,
              description: 'Return calls with id > after',
            },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
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
                  additionalProperties: true,
                  required: [
                    'id',
                    'run_id',
                    'tool',
                    'arguments',
                    'decision',
                    'status',
                    'started_at',
                  ],
                  properties: {
                    id: { type: 'integer' },
                    run_id: { type: 'string' },
                    tool_instance_id: { type: ['string', 'null'] },
                    tool_instance_name: { type: ['string', 'null'] },
                    tool: { type: 'string' },
                    arguments: { type: 'object', additionalProperties: true },
                    decision: {
                      type: 'string',
                      enum: ['allowed', 'approved', 'denied', 'expired', 'refused'],
                    },
                    status: { type: 'string', enum: ['ok', 'error', 'refused'] },
                    exit_code: { type: ['integer', 'null'] },
                    output_bytes: { type: 'integer' },
                    duration_ms: { type: 'integer' },
                    error: { type: ['string', 'null'] },
                    started_at: { type: 'string', format: 'date-time' },
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
      data: await options.log.forIncident(request.params.uuid, {
        afterId: request.query.after,
        limit: request.query.limit,
      }),
    }),
  );
}
