import type { ApiTokenRecord } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';
import type { ApiTokens } from '../auth/api-tokens.js';
import type { Principal } from '../auth/principal.js';
import type { Role } from '../auth/roles.js';
import { AppErrors } from '../errors.js';
import { errorResponses } from '../server/error-handler.js';

const tokenProperties = {
  id: { type: 'string', format: 'uuid' },
  name: { type: 'string' },
  token_prefix: { type: 'string', description: 'First characters of the token, to recognise it' },
  role: {
    type: 'string',
    enum: ['viewer', 'responder', 'admin'],
    description: "What the token may do; on use it never exceeds its creator's current role",
  },
  created_by: {
    type: ['string', 'null'],
    description: 'The user who created it (directly or through the token that minted it)',
  },
  parent_token_id: {
    type: ['string', 'null'],
    description: 'The token that minted it; revoking that one revokes this one',
  },
  created_at: { type: 'string', format: 'date-time' },
  expires_at: { type: ['string', 'null'], format: 'date-time' },
  last_used_at: { type: ['string', 'null'], format: 'date-time' },
} as const;

const tokenSchema = {
  $id: 'ApiToken',
  type: 'object',
  required: ['id', 'name', 'token_prefix', 'role', 'created_at', 'expires_at', 'last_used_at'],
  properties: tokenProperties,
} as const;

const toJson = (record: ApiTokenRecord): Record<string, unknown> => ({
  id: record.id,
  name: record.name,
  token_prefix: record.tokenPrefix,
  role: record.role,
  created_by: record.createdBy,
  parent_token_id: record.parentTokenId,
  created_at: record.createdAt.toISOString(),
  expires_at: record.expiresAt?.toISOString() ?? null,
  last_used_at: record.lastUsedAt?.toISOString() ?? null,
});

/**
 * `POST /api/tokens` (value shown once), `GET /api/tokens`, `DELETE /api/tokens/{id}`. Any
 * user may hold tokens of at most their own role; an admin sees and revokes everyone's.
 */
export async function apiTokenRoutes(
  app: FastifyInstance,
  options: { apiTokens: ApiTokens },
): Promise<void> {
  const { apiTokens } = options;
  app.addSchema(tokenSchema);

  app.post<{ Body: { name: string; role?: Role; expires_at?: string | null } }>(
    '/tokens',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token; its value is returned only in this response',
        description:
          "The role defaults to the caller's and cannot exceed it (403 AKM_TOKEN_EXCEEDS_CREATOR). A token minted with an expiring token expires no later than it (by default, with it), and is revoked with it.",
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            role: { type: 'string', enum: ['viewer', 'responder', 'admin'] },
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
      const { token, record } = await apiTokens.create({
        name: request.body.name,
        role: request.body.role,
        expiresAt: request.body.expires_at ? new Date(request.body.expires_at) : null,
        creator: request.principal as Principal,
      });
      request.log.info(
        { tokenId: record.id, name: record.name, role: record.role },
        'API token created',
      );
      return reply.status(201).send({ ...toJson(record), token });
    },
  );

  app.get(
    '/tokens',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'List API tokens (never their values): an admin sees all, others their own',
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
    async (request) => ({
      data: (await apiTokens.list(request.principal as Principal)).map(toJson),
    }),
  );

  app.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token and those minted with it (admin: any; others: their own)',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', format: 'uuid' } },
        },
        response: { 204: { type: 'null', description: 'Revoked' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await apiTokens.revoke(request.params.id, request.principal as Principal))) {
        throw AppErrors.AKM_NOT_FOUND({ what: 'API token', id: request.params.id });
      }
      request.log.info({ tokenId: request.params.id }, 'API token revoked');
      return reply.status(204).send();
    },
  );
}
