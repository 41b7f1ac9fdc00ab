import { bearerMatches } from '@akmatori/core';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppErrors } from '../errors.js';
import { errorResponses } from './error-handler.js';

/** Gauges read from the database at scrape time. */
export interface StateMetrics {
  /** Received alerts the incident engine has not applied yet. */
  unprocessedAlertEvents(): Promise<number>;
  /** Investigations waiting in the queue. */
  investigationsWaiting(): Promise<number>;
  /** Incidents with an alert still firing. */
  openIncidents(): Promise<number>;
}

/**
 * Prometheus metrics: request counts and latencies by method, route pattern and status,
 * the ingest backlog, queued investigations and open incidents, plus Node.js process
 * metrics, served at `GET /metrics`. Each app has its own registry. With `token` set,
 * `/metrics` answers only `Authorization: Bearer <token>` (Prometheus' `authorization`
 * scrape setting), 401 otherwise; without it, anyone who reaches the port can read it.
 */
export function installMetrics(
  app: FastifyInstance,
  state: StateMetrics,
  options: { token?: string | undefined } = {},
): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'akmatori-api' });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'akmatori_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'akmatori_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const gauge = (name: string, help: string, read: () => Promise<number>): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(await read());
      },
    });
  };
  gauge(
    'akmatori_alert_events_unprocessed',
    'Received alerts not yet applied by the incident engine.',
    () => state.unprocessedAlertEvents(),
  );
  gauge('akmatori_investigations_waiting', 'Investigations waiting in the queue, due or not.', () =>
    state.investigationsWaiting(),
  );
  gauge('akmatori_incidents_open', 'Incidents with at least one firing alert.', () =>
    state.openIncidents(),
  );

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        produces: ['text/plain'],
        ...(options.token === undefined ? {} : { security: [{ bearer: [] }] }),
        response: {
          200: { type: 'string', description: 'Prometheus text exposition format' },
          ...errorResponses,
        },
      },
      ...(options.token === undefined ? {} : { onRequest: requireMetricsToken(options.token) }),
    },
    async (_request, reply) => {
      void reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  );
  return registry;
}

/** Refuses a scrape without `Authorization: Bearer <token>` (constant-time comparison). */
function requireMetricsToken(token: string): onRequestAsyncHookHandler {
  return async (request) => {
    if (!bearerMatches(request.headers, token)) throw AppErrors.AKM_METRICS_TOKEN_REQUIRED();
  };
}
