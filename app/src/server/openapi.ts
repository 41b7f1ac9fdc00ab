import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3 document generated from the route schemas, at `GET /api/openapi.json`, and a
 * Swagger UI page at `/api/docs`. Both are public: the API's shape is not a secret.
 * Must be registered before the routes it documents.
 */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Akmatori API',
        version,
        description:
          "Alert ingestion, incidents, investigations and administration. `/api/*` routes need `Authorization: Bearer <session token or API token>` and the role named in each operation's `x-akmatori-role` (viewer < responder < admin); a lower role gets 403 AKM_FORBIDDEN.",
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Session token from POST /auth/login (aks_...) or API token (akm_...)',
          },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get(
    '/api/openapi.json',
    {
      schema: {
        tags: ['operations'],
        summary: 'This API as an OpenAPI 3.1 document',
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async () => app.swagger(),
  );
}
