import type { TestHost } from '@akmatori/host/testing';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../src/server/error-handler.js';
import { bearer, setUpAdmin, startApp } from './helpers.js';

let host: TestHost;
beforeAll(async () => {
  host = await startApp({ config: { bodyLimitBytes: 4096 } });
});
afterAll(async () => {
  await host.close();
});

describe('health and readiness', () => {
  it('GET /health answers 200 while the process is up', async () => {
    const response = await host.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
  });

  it('GET /ready answers 200 when the database answers and migrations are applied', async () => {
    const response = await host.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: 'embedded' });
  });

  it('GET /ready answers 503 with the reason when the database is gone', async () => {
    const other = await startApp();
    try {
      await other.database.close();
      const response = await other.inject({ method: 'GET', url: '/ready' });
      expect(response.statusCode).toBe(503);
      // The database's own error goes to the log only (operations-endpoints.test.ts).
      expect(response.json()).toEqual({
        status: 'not_ready',
        database: 'embedded',
        reason: 'database unavailable',
      });
      expect((await other.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('metrics', () => {
  it('GET /metrics exposes request counts, latencies by route and process metrics', async () => {
    await host.inject({ method: 'GET', url: '/health' });
    await host.inject({ method: 'GET', url: '/api/no/such/route' });
    const response = await host.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toMatch(
      /akmatori_http_requests_total\{[^}]*method="GET",route="\/health",status_code="200"[^}]*\} \d+/,
    );
    expect(response.body).toMatch(
      /akmatori_http_requests_total\{[^}]*route="unmatched",status_code="404"/,
    );
    expect(response.body).toContain('akmatori_http_request_duration_seconds_bucket');
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });
});

describe('OpenAPI', () => {
  it('GET /api/openapi.json documents every route with request and response schemas', async () => {
    const response = await host.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            responses?: Record<string, { content?: unknown }>;
            security?: unknown;
            requestBody?: unknown;
          }
        >
      >;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    const expected = [
      '/health',
      '/ready',
      '/metrics',
      '/auth/setup-status',
      '/auth/setup',
      '/auth/login',
      '/api/tokens',
      '/api/tokens/{id}',
      '/api/me',
      '/api/plugins',
      '/api/openapi.json',
    ];
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(expected));
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const success = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith('2'),
        );
        expect(
          success.length,
          `${method.toUpperCase()} ${path} declares a success response`,
        ).toBeGreaterThan(0);
        if (path.startsWith('/api/') && path !== '/api/openapi.json') {
          expect(
            operation.security,
            `${method.toUpperCase()} ${path} is marked as needing a bearer token`,
          ).toEqual([{ bearer: [] }]);
        }
      }
    }
    expect(doc.paths['/auth/login']?.post?.requestBody).toBeDefined();
  });

  it('serves the API docs page', async () => {
    const response = await host.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('swagger-ui');
  });
});

describe('HTTP hardening', () => {
  it('sends security headers', async () => {
    const response = await host.inject({ method: 'GET', url: '/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends no CORS headers by default, so browsers keep calls same-origin', async () => {
    const response = await host.inject({
      method: 'OPTIONS',
      url: '/auth/login',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows configured origins only', async () => {
    const corsHost = await startApp({ config: { corsOrigins: ['https://dashboard.example'] } });
    try {
      const allowed = await corsHost.inject({
        method: 'GET',
        url: '/health',
        headers: { origin: 'https://dashboard.example' },
      });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.example');
      const denied = await corsHost.inject({
        method: 'GET',
        url: '/health',
        headers: { origin: 'https://evil.example' },
      });
      expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await corsHost.close();
    }
  });

  it('answers 413 for a body over the limit, 415 for a non-JSON body, 400 for broken JSON', async () => {
    const big = await host.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'a', password: 'x'.repeat(8000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    const text = await host.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    const broken = await host.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await host.inject({ method: 'GET', url: '/api/nope?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      code: 'AKM_ROUTE_NOT_FOUND',
      error: 'Not Found',
      message: 'No route GET /api/nope',
    });
  });
});

describe('plugins', () => {
  it('GET /api/plugins lists the built-in plugins', async () => {
    const token = await setUpAdmin(host);
    const response = await host.inject({
      method: 'GET',
      url: '/api/plugins',
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ data: { name: string }[] }>().data.map((p) => p.name)).toEqual([
      '@akmatori/adapters',
      '@akmatori/tools',
      '@akmatori/runner-codex',
    ]);
  });
});

describe('the error handler', () => {
  it('answers an unexpected error with a bare 500 that leaks nothing, and logs it', async () => {
    const logged: unknown[] = [];
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    app.addHook('onRequest', async (request) => {
      request.log.error = ((obj: unknown) => logged.push(obj)) as never;
    });
    app.get('/boom', async () => {
      throw new Error('connection string postgres://user:hunter2@db failed');
    });
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({
      code: 'AKM_INTERNAL',
      message: expect.stringContaining('Internal error'),
    });
    expect(response.body).not.toContain('hunter2');
    expect(logged).toHaveLength(1);
    await app.close();
  });
});

describe('request logging', () => {
  it('logs one line per request, without the query string, and keeps health checks quiet', async () => {
    const { capturedLogger } = await import('./helpers.js');
    const { log, text } = capturedLogger();
    const logged = await startApp({ log });
    try {
      await logged.inject({ method: 'GET', url: '/auth/setup-status?api_key=query-secret' });
      await logged.inject({ method: 'GET', url: '/health' });
      const lines = text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === 'request answered');
      expect(lines).toEqual([
        expect.objectContaining({ method: 'GET', path: '/auth/setup-status', statusCode: 200 }),
      ]);
      expect(text()).not.toContain('query-secret');
    } finally {
      await logged.close();
    }
  });
});
