import type { TestHost } from '@akmatori/host/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';

// Property: whatever arrives at a webhook, the answer is 2xx or 4xx, never 5xx, and the
// server keeps answering. Inputs: real sample payloads of every built-in adapter with random
// mutations, arbitrary JSON, and arbitrary bytes.

const SECRET = 'fuzz-webhook-secret';
let host: TestHost;
let sources: { type: string; uuid: string; sample: unknown }[] = [];

beforeAll(async () => {
  host = await startApp();
  const admin = bearer(await setUpAdmin(host));
  const types = (
    await host.inject({ method: 'GET', url: '/api/alert-source-types', headers: admin })
  ).json<{ data: { name: string; example_payload: unknown }[] }>().data;
  sources = await Promise.all(
    types.map(async (type) => {
      const created = await host.inject({
        method: 'POST',
        url: '/api/alert-sources',
        headers: admin,
        payload: { source_type_name: type.name, name: `fuzz ${type.name}`, webhook_secret: SECRET },
      });
      return {
        type: type.name,
        uuid: created.json<{ uuid: string }>().uuid,
        sample: type.example_payload,
      };
    }),
  );
});
afterAll(async () => {
  await host?.close();
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Mutation = { at: number; kind: 'replace' | 'delete' | 'wrap' | 'stringify'; value: Json };

/** Every path (as a list of keys) in a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value))
    return here.concat(...value.map((item, i) => paths(item, [...prefix, i])));
  if (value !== null && typeof value === 'object')
    return here.concat(...Object.entries(value).map(([k, v]) => paths(v, [...prefix, k])));
  return here;
}

function mutate(sample: unknown, mutations: readonly Mutation[]): unknown {
  let body = structuredClone(sample) as Json;
  for (const mutation of mutations) {
    const all = paths(body);
    const path = all[mutation.at % all.length] as (string | number)[];
    if (path.length === 0) {
      body = mutation.kind === 'wrap' ? [body] : mutation.value;
      continue;
    }
    const parent = path
      .slice(0, -1)
      .reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, body) as Record<
      string,
      Json
    >;
    const key = path[path.length - 1] as string;
    if (mutation.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (mutation.kind === 'wrap') parent[key] = { nested: parent[key] as Json };
    else if (mutation.kind === 'stringify') parent[key] = JSON.stringify(parent[key]);
    else parent[key] = mutation.value;
  }
  return body;
}

const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'wrap', 'stringify'),
  value: fc.jsonValue() as fc.Arbitrary<Json>,
});

async function post(
  uuid: string,
  payload: string | Buffer,
  contentType = 'application/json',
): Promise<number> {
  const response = await host.inject({
    method: 'POST',
    url: `/webhook/alert/${uuid}`,
    headers: { ...bearer(SECRET), 'content-type': contentType },
    payload,
  });
  if (response.statusCode >= 500)
    throw new Error(
      `${response.statusCode} for ${String(payload).slice(0, 300)}: ${response.body}`,
    );
  return response.statusCode;
}

describe('webhook fuzzing', () => {
  it('has every built-in adapter to fuzz', () => {
    expect(sources.map((s) => s.type).sort()).toEqual([
      'alertmanager',
      'datadog',
      'grafana',
      'pagerduty',
      'zabbix',
    ]);
  });

  it('answers mutated real payloads with 2xx or 4xx only', async () => {
    for (const source of sources) {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (mutations) => {
          const status = await post(source.uuid, JSON.stringify(mutate(source.sample, mutations)));
          expect([202, 400]).toContain(status);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('answers arbitrary JSON with 2xx or 4xx only', async () => {
    for (const source of sources) {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (value) => {
          expect([202, 400]).toContain(await post(source.uuid, JSON.stringify(value)));
        }),
        { numRuns: 100 },
      );
    }
  });

  it('answers arbitrary bytes and odd content types with 4xx', async () => {
    const target = sources[0]!;
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/problem+json',
        ),
        async (bytes, type) => {
          expect(await post(target.uuid, Buffer.from(bytes), type)).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('still answers after all of it', async () => {
    expect((await host.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await host.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });
});
