import type { Logger } from '@akmatori/core';
import type { ResolvedConfig } from '@akmatori/host';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { proxyTrust } from './client-address.js';
import { lazySchemaCompilers, schemaCompilers } from './lazy-schemas.js';
import { lazyRequestLogger } from './lazy-request-logger.js';

/**
 * The bare API server: Fastify with its limits, proxy trust, lazy request logger and lazily
 * compiled schemas, JSON bodies only, no routes. The container builds it
 * (`AppTokens.HttpServer`) so that what reads its address (`AdvertisedUrls`) needs nothing
 * patched once it listens; `buildServer` adds the hooks and routes.
 *
 * @example
 * ```ts
 * const app = createHttpServer(config, log);
 * app.server.address(); // null until it listens
 * ```
 */
export function createHttpServer(config: ResolvedConfig, log: Logger): FastifyInstance {
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    loggerInstance: log.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: proxyTrust(config.trustedProxyHops),
    return503OnClosing: true,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger, bindings, options) =>
      lazyRequestLogger(logger as never, bindings, options) as never,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    // Each route's schemas compile on its first request, not at start (see lazySchemaCompilers).
    schemaController: { compilersFactory: schemas.compilersFactory },
  });
  schemaCompilers.set(app, schemas);
  app.decorateRequest('principal', null);
  // JSON only: a text/plain body is a 415, not a string handed to the route.
  app.removeContentTypeParser('text/plain');
  return app;
}
