import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OperatorAudit } from '../audit/operator-audit.js';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { roleAllows, roles } from '../auth/roles.js';
import { AppErrors } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request; set on every authenticated `/api/*` route. */
    principal: Principal | null;
    /** What the operator audit records as the change's target; default: the path parameters. */
    auditTarget?: Record<string, unknown>;
  }
}

/** The OpenAPI extension naming the least role an operation needs. */
export const roleExtension = 'x-akmatori-role';

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Requires `Authorization: Bearer <login token or API token>` on every route registered in
 * `scope` (the `/api` context) and the role the route declares in `config.role`; a route
 * without one stops the server from starting. Marks each operation as secured in the OpenAPI
 * document with its role in `x-akmatori-role`, and writes every accepted change to the
 * operator audit.
 */
export function requireAuthentication(
  scope: FastifyInstance,
  deps: { authenticator: Authenticator; audit: OperatorAudit },
): void {
  scope.addHook('onRoute', (route) => {
    const role = route.config?.role;
    if (role === undefined || !roles.includes(role)) {
      throw AppErrors.AKM_ROUTE_ROLE_MISSING({
        method: String(route.method),
        url: route.url,
        roles,
      });
    }
    route.schema = {
      ...route.schema,
      security: [{ bearer: [] }],
      [roleExtension]: role,
    } as typeof route.schema;
  });
  scope.addHook('onRequest', async (request) => {
    const principal = await deps.authenticator.authenticate(request.headers.authorization);
    request.principal = principal;
    request.log = request.log.child({ principal: `${principal.kind}:${principal.id}` });
    const needed = request.routeOptions.config.role;
    if (needed === undefined || !roleAllows(principal.role, needed)) {
      throw AppErrors.AKM_FORBIDDEN({ needed: needed ?? 'admin', held: principal.role });
    }
  });
  scope.addHook('onResponse', async (request, reply) => {
    if (!mutating.has(request.method) || reply.statusCode >= 400) return;
    await recordChange(deps.audit, request, reply.statusCode);
  });
}

/** Writes one accepted change to the operator audit; a failure is logged, never answered. */
export async function recordChange(
  audit: OperatorAudit,
  request: FastifyRequest,
  status: number,
  actor: Principal | null = request.principal,
): Promise<void> {
  try {
    await audit.record({
      actor,
      action: `${request.method} ${request.routeOptions.url ?? request.url}`,
      target: request.auditTarget ?? { ...(request.params as Record<string, unknown>) },
      status,
      clientAddress: request.ip,
    });
  } catch (error) {
    request.log.error({ err: error }, 'operator audit write failed');
  }
}
