import type { ApiTokenRecord } from '@akmatori/core';
import type { FastifyInstance } from 'fastify';
import type { ApiTokens } from '../auth/api-tokens.js';
import { AppErrors } from '../errors.js';
import { errorResponses } from '../server/error-handler.js';

const tokenProperties = {
  id: { type: 'string', format: 'uuid' },
  name: { type: 'string' },
  token_prefix: { type: 'string', description: 'First characters of the token, to recognise it' },
  created_by: { type: ['string', 'null'] },
  created_at: { type: 'string', format: 'date-time' },
  expires_at: { type: ['string', 'null'], format: 'date-time' },
  last_used_at: { type: ['string', 'null'], format: 'date-time' },
} as const;

const tokenSchema = {
  $id: 'ApiToken',
  type: 'object',
  required: ['id', 'name', 'token_prefix', 'created_at', 'expires_at', 'last_used_at'],
  properties: tokenProperties,
} as const;

const toJson = (record: ApiTokenRecord): Record<string, unknown> => ({
  id: record.id,
  name: record.name,
  token_prefix: record.tokenPrefix,
  created_by: record.createdBy,
  created_at: record.createdAt.toISOString(),
  expires_at: record.expiresAt?.toISOString() ?? null,
  last_used_at: record.lastUsedAt?.toISOString() ?? null,
});

/** `POST /api/tokens` (value shown once), `GET /api/tokens`, `DELETE /api/tokens/{id}`. */
export async function apiTokenRoutes(
  app: FastifyInstance,
  options: { apiTokens: ApiTokens },
): Promise<void> {
  const { apiTokens } = options;
  app.addSchema(tokenSchema);

  app.post<{ Body: { name: string; expires_at?: string | null } }>(
    '/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token; its value is returned only in this response',
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            expires_at: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        response: {
          201: {
            type: 'object',
            required: [...tokenSchema.required, 'token'],
            properties: {
              ...tokenProperties,
              token: { type: 'string', description: 'The token. Store it now.' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const { token, record } = await apiTokens.create({
        name: request.body.name,
        expiresAt: request.body.expires_at ? new Date(request.body.expires_at) : null,
        createdBy: principal?.kind === 'user' ? principal.id : null,
      });
      request.log.info({ tokenId: record.id, name: record.name }, 'API token created');
      return reply.status(201).send({ ...toJson(record), token });
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'List API tokens (never their values)',
        response: {
          200: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { $ref: 'ApiToken#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ data: (await apiTokens.list()).map(toJson) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', format: 'uuid' } },
        },
        response: { 204: { type: 'null', description: 'Revoked' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await apiTokens.revoke(request.params.id))) {
        throw AppErrors.AKM_NOT_FOUND({ what: 'API token', id: request.params.id });
      }
      request.log.info({ tokenId: request.params.id }, 'API token revoked');
      return reply.status(204).send();
    },
  );
}
