import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers (helmet: CSP `default-src 'self'`, HSTS, nosniff, frame-ancestors none...)
 * and CORS. With no configured origins no CORS headers are sent, so browsers allow only
 * same-origin calls.
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
        // Self-hosted installs often run on plain HTTP inside a network; upgrading every
        // subresource to https would break the pages there. Terminate TLS at the proxy.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // Swagger UI sets its own CSP with script hashes; the rest of the app uses this one.
    global: true,
  });
  if (corsOrigins.length > 0) {
    await app.register(cors, { origin: [...corsOrigins], credentials: false, maxAge: 600 });
  }
}
