import { actingUserId } from '../auth/principal.js';
import type { FastifyInstance } from 'fastify';
import type { ApprovalRecord, Approvals } from '../gateway/approvals.js';
import { errorResponses } from '../server/error-handler.js';

const approvalSchema = {
  $id: 'Approval',
  type: 'object',
  required: [
    'id',
    'run_id',
    'incident_id',
    'tool_instance_id',
    'tool',
    'summary',
    'details',
    'status',
    'created_at',
    'expires_at',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    run_id: { type: 'string' },
    incident_id: { type: 'string', format: 'uuid' },
    tool_instance_id: { type: 'string', format: 'uuid' },
    tool: { type: 'string' },
    summary: { type: 'string', description: 'What will change' },
    details: { type: 'object', additionalProperties: true },
    status: { type: 'string', enum: ['pending', 'approved', 'denied', 'expired'] },
    decided_by: {
      type: ['string', 'null'],
      description: 'Who decided: user:<name> or api_token:<name>',
    },
    decided_by_user_id: {
      type: ['string', 'null'],
      description: "The deciding user's id (a token's creator when a token decided)",
    },
    reason: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    expires_at: { type: 'string', format: 'date-time' },
    decided_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const toJson = (record: ApprovalRecord): Record<string, unknown> => ({
  id: record.id,
  run_id: record.runId,
  incident_id: record.incidentId,
  tool_instance_id: record.toolInstanceId,
  tool: record.tool,
  summary: record.summary,
  details: record.details,
  status: record.status,
  decided_by: record.decidedBy,
  decided_by_user_id: record.decidedByUserId,
  reason: record.reason,
  created_at: record.createdAt.toISOString(),
  expires_at: record.expiresAt.toISOString(),
  decided_at: record.decidedAt?.toISOString() ?? null,
});

const decisionSchema = {
  params: {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string', format: 'uuid' } },
  },
  body: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: { reason: { type: 'string', maxLength: 1000 } },
  },
  response: { 200: { $ref: 'Approval#' }, ...errorResponses },
} as const;

/** `GET /api/approvals` and `POST /api/approvals/{id}/approve|deny`. */
export async function approvalRoutes(
  app: FastifyInstance,
  options: { approvals: Approvals },
): Promise<void> {
  app.addSchema(approvalSchema);
  app.get<{ Querystring: { status?: string; incident_id?: string; limit: number } }>(
    '/approvals',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['approvals'],
        summary: 'Approval requests for write actions, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['pending', 'approved', 'denied', 'expired'] },
            incident_id: { type: 'string', format: 'uuid' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'Approval#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { status, incident_id: incidentId, limit } = request.query;
      const records = await options.approvals.list({
        limit,
        ...(status === undefined ? {} : { status }),
        ...(incidentId === undefined ? {} : { incidentId }),
      });
      return { data: records.map(toJson) };
    },
  );

  for (const verb of ['approve', 'deny'] as const) {
    app.post<{ Params: { id: string }; Body: { reason?: string } | null }>(
      `/approvals/:id/${verb}`,
      {
        config: { role: 'responder' },
        schema: {
          tags: ['approvals'],
          summary:
            verb === 'approve'
              ? 'Approve a pending write action: the waiting tool call runs it'
              : 'Deny a pending write action: the agent is told it was denied, with the reason',
          ...decisionSchema,
        },
      },
      async (request) => {
        const by =
          request.principal === null
            ? 'unknown'
            : `${request.principal.kind}:${request.principal.name}`;
        const record = await options.approvals.decide(request.params.id, {
          approve: verb === 'approve',
          by,
          byUserId: request.principal === null ? null : actingUserId(request.principal),
          reason: request.body?.reason,
        });
        request.log.info({ approval: record.id, status: record.status }, 'approval decided');
        return toJson(record);
      },
    );
  }
}
