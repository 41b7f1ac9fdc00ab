import type { AdvertisedUrls } from '../server/advertised-urls.js';
import type { FastifyInstance } from 'fastify';
import { AppErrors } from '../errors.js';
import type { RunTokens } from '../gateway/run-tokens.js';
import { errorResponses } from '../server/error-handler.js';

/** What the gateway token route needs. */
export interface GatewayRouteOptions {
  readonly runTokens: RunTokens;
  /** The gateway's base URL, read at each answer; the MCP endpoint is `<url>/mcp`. */
  readonly urls: Pick<AdvertisedUrls, 'gatewayUrl'>;
}

/** `POST /api/gateway/tokens`: an admin mints a run token to point an MCP client at the gateway. */
export async function gatewayRoutes(
  app: FastifyInstance,
  options: GatewayRouteOptions,
): Promise<void> {
  app.post<{ Body: { tool_instance_ids: string[]; ttl_seconds?: number; incident_id?: string } }>(
    '/gateway/tokens',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['gateway'],
        summary:
          'Mint a run token for the MCP gateway granting every tool of the given tool instances (admin only; shown once)',
        body: {
          type: 'object',
          required: ['tool_instance_ids'],
          additionalProperties: false,
          properties: {
            tool_instance_ids: {
              type: 'array',
              items: { type: 'string', format: 'uuid' },
              minItems: 1,
              maxItems: 50,
            },
            ttl_seconds: { type: 'integer', minimum: 1, maximum: 86400, default: 900 },
            incident_id: {
              type: 'string',
              format: 'uuid',
              description: 'Incident the audit records name; default none (all zeros)',
            },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['token', 'token_id', 'run_id', 'expires_at', 'mcp_url', 'tools'],
            properties: {
              token: { type: 'string', description: 'Send as Authorization: Bearer <token>' },
              token_id: { type: 'string' },
              run_id: { type: 'string' },
              expires_at: { type: 'string', format: 'date-time' },
              mcp_url: { type: 'string', description: 'Streamable HTTP MCP endpoint' },
              tools: {
                type: 'array',
                items: { type: 'string' },
                description: 'MCP tool names granted',
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      if (request.principal?.kind !== 'user')
        throw AppErrors.AKM_ADMIN_ONLY({ what: 'mint gateway tokens' });
      const minted = await options.runTokens.mintForInstances({
        toolInstanceIds: request.body.tool_instance_ids,
        ttlSeconds: request.body.ttl_seconds ?? 900,
        ...(request.body.incident_id === undefined ? {} : { incidentId: request.body.incident_id }),
      });
      request.log.info(
        { token: minted.tokenId, run: minted.runId, tools: minted.tools },
        'gateway token minted',
      );
      return reply.status(201).send({
        token: minted.token,
        token_id: minted.tokenId,
        run_id: minted.runId,
        expires_at: minted.expiresAt.toISOString(),
        mcp_url: `${options.urls.gatewayUrl}/mcp`,
        tools: minted.tools,
      });
    },
  );
}
