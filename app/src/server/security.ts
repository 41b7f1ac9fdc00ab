import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onSendHookHandler,
  RouteOptions,
} from 'fastify';

/**
 * Security headers (helmet: CSP `default-src 'self'`, HSTS, nosniff, frame-ancestors none...)
 * and CORS. With no configured origins no CORS headers are sent, so browsers allow only
 * same-origin calls. Every page's CSP asks the browser to upgrade its requests to HTTPS
 * (`upgrade-insecure-requests`) only when the page itself came over HTTPS (see
 * {@link upgradeOnlyOverHttps}).
 */
export async function installSecurity(
  app: FastifyInstance,
  corsOrigins: readonly string[],
): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        // Added per request, over HTTPS only: see upgradeOnlyOverHttps.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // Swagger UI sets its own CSP with script hashes; the rest of the app uses this one.
    global: true,
  });
  // As each route's last onSend hook, after any plugin (Swagger UI) set a CSP of its own; and
  // for the not-found handler, which has no route.
  app.addHook('onRoute', (route: RouteOptions) => {
    route.onSend = [...hooksOf(route.onSend), upgradeOnlyOverHttps];
  });
  app.addHook('onSend', upgradeOnlyOverHttps);
  if (corsOrigins.length > 0) {
    await app.register(cors, { origin: [...corsOrigins], credentials: false, maxAge: 600 });
  }
}

const hooksOf = (hooks: RouteOptions['onSend']): onSendHookHandler[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? [...hooks] : [hooks as onSendHookHandler];

const UPGRADE = 'upgrade-insecure-requests';

/**
 * Makes a response's Content-Security-Policy carry `upgrade-insecure-requests` when the request
 * came over HTTPS (`request.protocol`, which believes `X-Forwarded-Proto` only from the proxies
 * AKMATORI_TRUSTED_PROXY_HOPS trusts) and never otherwise: on plain HTTP, e.g. a LAN install
 * reached by IP address, it would turn every script, style and API call of the page into an
 * https request that nothing answers, and the page would stay blank.
 */
export function upgradeOnlyOverHttps(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
): void {
  const header = reply.getHeader('content-security-policy');
  if (typeof header === 'string') {
    const directives = header.split(';').map((directive) => directive.trim());
    const upgrades = directives.some((directive) => directive.toLowerCase() === UPGRADE);
    const https = request.protocol === 'https';
    if (upgrades !== https) {
      const kept = directives.filter(
        (directive) => directive !== '' && directive.toLowerCase() !== UPGRADE,
      );
      void reply.header(
        'content-security-policy',
        [...kept, ...(https ? [UPGRADE] : [])].join('; '),
      );
    }
  }
  done(null, payload);
}
