import type { FastifyInstance } from 'fastify';
import type { Authenticator, Principal } from '../auth/authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request; set on every authenticated `/api/*` route. */
    principal: Principal | null;
  }
}

/**
 * Requires `Authorization: Bearer <login token or API token>` on every route registered in
 * `scope` (the `/api` context), and marks them as secured in the OpenAPI document.
 */
export function requireAuthentication(scope: FastifyInstance, authenticator: Authenticator): void {
  scope.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: [{ bearer: [] }] } as typeof route.schema;
  });
  scope.addHook('onRequest', async (request) => {
    request.principal = await authenticator.authenticate(request.headers.authorization);
    request.log = request.log.child({
      principal: `${request.principal.kind}:${request.principal.id}`,
    });
  });
}
