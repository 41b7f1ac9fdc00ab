import type { Database } from '@akmatori/host';
import type { FastifyInstance } from 'fastify';

const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] }, version: { type: 'string' } },
} as const;

const readySchema = {
  type: 'object',
  required: ['status', 'database'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    database: { type: 'string', description: 'postgres or embedded' },
    reason: {
      type: 'string',
      description:
        'Why not ready: "database unavailable" (the error itself is in the server log) or the pending migrations',
    },
    pending_migrations: { type: 'array', items: { type: 'string' } },
  },
} as const;

/**
 * `GET /health`: the process is up (liveness). `GET /ready`: the database answers and every
 * migration is applied (readiness); 503 with a reason otherwise. Both answer anyone, so a
 * database failure is answered as `database unavailable` and its error is only logged. The
 * names of pending migrations stay in the answer: they tell no more than the version `/health`
 * already gives, and they are what an operator rolling out needs.
 */
export async function healthRoutes(
  app: FastifyInstance,
  options: { database: Database; version: string },
): Promise<void> {
  const { database, version } = options;
  app.get(
    '/health',
    {
      schema: { tags: ['operations'], summary: 'Liveness', response: { 200: healthSchema } },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const, version }),
  );
  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness',
        response: { 200: readySchema, 503: readySchema },
      },
      logLevel: 'warn',
    },
    async (request, reply) => {
      try {
        await database.ping();
        const pending = await database.pendingMigrations();
        if (pending.length > 0) {
          return reply.status(503).send({
            status: 'not_ready',
            database: database.backend,
            reason: 'migrations pending: run `akmatori migrate`',
            pending_migrations: pending,
          });
        }
        return { status: 'ready' as const, database: database.backend };
      } catch (error) {
        // Anyone may call /ready: the database's own words (hosts, users, paths) go to the log.
        request.log.error({ err: error }, 'not ready: the database did not answer');
        return reply.status(503).send({
          status: 'not_ready',
          database: database.backend,
          reason: 'database unavailable',
        });
      }
    },
  );
}
