import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppBootOptions } from '@akmatori/host';
import { createTestHost, type TestHost } from '@akmatori/host/testing';
import { createApp, type AkmatoriApp } from '../src/create-app.js';
import { compileAllSchemas, lazySchemaCompilers } from '../src/server/lazy-schemas.js';

// Route schemas compile on each route's first request (start-up time and memory): a schema
// error no longer stops the start, so this proves every schema of the real app compiles.

describe('route schemas compiled on first use', () => {
  let host: TestHost;
  let app: AkmatoriApp | undefined;

  beforeAll(async () => {
    host = await createTestHost({
      app: async (boot: AppBootOptions) => {
        app = await createApp(boot);
        return app;
      },
    });
  }, 120_000);

  afterAll(async () => {
    await host?.close();
  });

  it('compiles every schema of the real app without an error', async () => {
    const health = await host.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    // Validators and serializers of well over a hundred routes were still waiting.
    expect(compileAllSchemas(app!.server)).toBeGreaterThan(100);
    expect(compileAllSchemas(app!.server)).toBe(0);
  });

  it('still answers a request that fails validation with 400 and the reason', async () => {
    const response = await host.inject({ method: 'POST', url: '/auth/login', payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/username|password/);
  });
});

describe('lazySchemaCompilers', () => {
  const server = async () => {
    const schemas = lazySchemaCompilers();
    const fastify = Fastify({
      ajv: { customOptions: { coerceTypes: 'array', useDefaults: true } },
      schemaController: { compilersFactory: schemas.compilersFactory },
    });
    return { schemas, fastify };
  };

  it('validates, coerces, fills defaults and serializes as Fastify does', async () => {
    const { fastify } = await server();
    fastify.post(
      '/things',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: {
              n: { type: 'integer' },
              tags: { type: 'array', items: { type: 'string' } },
            },
          },
          body: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, size: { type: 'integer', default: 7 } },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                n: { type: 'integer' },
                tags: { type: 'array' },
                size: { type: 'integer' },
              },
            },
          },
        },
      },
      async (request) => {
        const query = request.query as { n: number; tags: string[] };
        const body = request.body as { size: number };
        return { n: query.n, tags: query.tags, size: body.size, secret: 'not serialized' };
      },
    );
    const missing = await fastify.inject({ method: 'POST', url: '/things', payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ message: string }>().message).toBe(
      "body must have required property 'name'",
    );
    const ok = await fastify.inject({
      method: 'POST',
      url: '/things?n=3&tags=a',
      payload: { name: 'x' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ n: 3, tags: ['a'], size: 7 });
    const wrongType = await fastify.inject({
      method: 'POST',
      url: '/things?n=three',
      payload: { name: 'x' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json<{ message: string }>().message).toBe('querystring/n must be integer');
    await fastify.close();
  });

  it('compileAll reports a broken schema that a start no longer compiles', async () => {
    const { schemas, fastify } = await server();
    fastify.post(
      '/broken',
      { schema: { body: { type: 'object', properties: { a: { type: 'strnig' } } } } },
      async () => ({}),
    );
    await fastify.ready();
    expect(() => schemas.compileAll()).toThrow(/strnig|type/);
    await fastify.close();
  });
});
