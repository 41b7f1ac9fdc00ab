import type { FastifyInstance } from 'fastify';

/**
 * One log line per answered request (method, path without its query string, status, time),
 * instead of Fastify's two: `warn` for client errors, `error` for server errors. Query strings
 * can carry credentials, so they are never logged. Routes that set `logLevel: 'warn'` (health
 * checks, the webhook hot path) log only their failures.
 */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const level = reply.statusCode >= 500 ? 'error' : reply.statusCode >= 400 ? 'warn' : 'info';
    request.log[level](
      {
        method: request.method,
        path: request.url.split('?', 1)[0],
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request answered',
    );
  });
}
