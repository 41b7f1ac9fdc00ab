import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import type { ConnectedWorker, WorkerHub } from '../runs/worker-hub.js';
import type { WorkerTokenRecord } from '../runs/worker-token-repository.js';
import type { WorkerTokens } from '../runs/worker-tokens.js';
import { errorResponses } from '../server/error-handler.js';

/** What the worker routes need. */
export interface WorkerRouteOptions {
  readonly hub: WorkerHub;
  readonly tokens: WorkerTokens;
}

const tokenProperties = {
  id: { type: 'string', format: 'uuid' },
  name: { type: 'string' },
  token_prefix: { type: 'string', description: 'First characters of the token, to recognise it' },
  created_by: { type: ['string', 'null'] },
  created_at: { type: 'string', format: 'date-time' },
  last_used_at: {
    type: ['string', 'null'],
    format: 'date-time',
    description: 'When a worker last connected, or was last seen connected, with it',
  },
  revoked_at: { type: ['string', 'null'], format: 'date-time' },
  connected_workers: {
    type: 'array',
    items: { type: 'string' },
    description: 'Ids of the workers connected with it to this API process now',
  },
} as const;

const workerTokenSchema = {
  $id: 'WorkerToken',
  type: 'object',
  required: [
    'id',
    'name',
    'token_prefix',
    'created_at',
    'last_used_at',
    'revoked_at',
    'connected_workers',
  ],
  properties: tokenProperties,
} as const;

const workerSchema = {
  $id: 'Worker',
  type: 'object',
  required: [
    'worker_id',
    'capacity',
    'running',
    'version',
    'connected_at',
    'token_id',
    'token_name',
  ],
  properties: {
    worker_id: { type: 'string' },
    capacity: { type: 'integer' },
    running: { type: 'integer', description: 'Runs it holds now' },
    version: { type: 'string' },
    connected_at: { type: 'string', format: 'date-time' },
    token_id: {
      type: ['string', 'null'],
      description: "The worker token it connected with; null: the embedded worker's own token",
    },
    token_name: { type: 'string' },
  },
} as const;

const tokenJson = (
  record: WorkerTokenRecord,
  workers: readonly ConnectedWorker[],
): Record<string, unknown> => ({
  id: record.id,
  name: record.name,
  token_prefix: record.tokenPrefix,
  created_by: record.createdBy,
  created_at: record.createdAt.toISOString(),
  last_used_at: record.lastUsedAt?.toISOString() ?? null,
  revoked_at: record.revokedAt?.toISOString() ?? null,
  connected_workers: workers
    .filter((worker) => worker.token.id === record.id)
    .map((worker) => worker.workerId),
});

const workerJson = (worker: ConnectedWorker): Record<string, unknown> => ({
  worker_id: worker.workerId,
  capacity: worker.capacity,
  running: worker.running,
  version: worker.version,
  connected_at: worker.connectedAt.toISOString(),
  token_id: worker.token.id,
  token_name: worker.token.name,
});

/**
 * The connected workers (`GET /api/workers`) and the worker tokens: `POST /api/workers/tokens`
 * (value shown once), `GET /api/workers/tokens`, `DELETE /api/workers/tokens/{id}` (revokes
 * and disconnects its workers at once). Admin only.
 */
export async function workerRoutes(
  app: FastifyInstance,
  options: WorkerRouteOptions,
): Promise<void> {
  const { hub, tokens } = options;
  app.addSchema(workerTokenSchema);
  app.addSchema(workerSchema);

  app.get(
    '/workers',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['workers'],
        summary: 'The workers connected to this API process, and the token each connected with',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'Worker#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ data: hub.workers().map(workerJson) }),
  );

  app.post<{ Body: { name: string } }>(
    '/workers/tokens',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['workers'],
        summary:
          'Create a worker token (for `akmatori worker`, as AKMATORI_WORKER_TOKEN); its value is returned only in this response',
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: {
          201: {
            type: 'object',
            required: [...workerTokenSchema.required, 'token'],
            properties: {
              ...tokenProperties,
              token: { type: 'string', description: 'The token (akw_…). Store it now.' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const { token, record } = await tokens.create({
        name: request.body.name,
        createdBy: principal?.kind === 'user' ? principal.id : null,
      });
      request.log.info({ tokenId: record.id, name: record.name }, 'worker token created');
      return reply.status(201).send({ ...tokenJson(record, []), token });
    },
  );

  app.get(
    '/workers/tokens',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['workers'],
        summary:
          'List worker tokens (never their values): last use, revocation, workers connected with each',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'WorkerToken#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async () => {
      const connected = hub.workers();
      return { data: (await tokens.list()).map((record) => tokenJson(record, connected)) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/workers/tokens/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['workers'],
        summary:
          'Revoke a worker token: its workers are disconnected at once and their runs queued again',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', format: 'uuid' } },
        },
        response: { 204: { type: 'null', description: 'Revoked' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await tokens.revoke(request.params.id))) {
        throw AppErrors.AKM_NOT_FOUND({ what: 'worker token', id: request.params.id });
      }
      const disconnected = hub.disconnectToken(request.params.id);
      request.log.info({ tokenId: request.params.id, disconnected }, 'worker token revoked');
      return reply.status(204).send();
    },
  );
}
