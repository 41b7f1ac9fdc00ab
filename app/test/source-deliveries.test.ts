import { type Database, generateSecretKey, openPostgres } from '@akmatori/host';
import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@akmatori/test-support/databases';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { eventually } from './support/eventually.js';
import { testAdapterPlugin } from './support/test-plugin.js';

interface Delivery {
  at: string;
  status_code: number;
  accepted: boolean;
  error_code: string | null;
  error_message: string | null;
  alert_count: number;
  client_address: string | null;
  duration_ms: number | null;
}

const SECRET = 'deliveries-webhook-secret';

// Two app instances on one PostgreSQL database: replicas of one another, each with its own
// in-memory buffer of deliveries.
let database: Database;
let a: TestHost;
let b: TestHost;
let admin: Record<string, string>;

beforeAll(async () => {
  database = await openPostgres({ url: await createPostgresDatabase() });
  await database.migrate();
  const config = { secretKey: generateSecretKey().toString('base64') };
  a = await startApp({ database, config, plugins: [testAdapterPlugin()] });
  b = await startApp({ database, config, plugins: [testAdapterPlugin()] });
  admin = bearer(await setUpAdmin(a));
}, 120_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await database?.close();
});

async function newSource(extra: Record<string, unknown> = {}): Promise<string> {
  const response = await a.inject({
    method: 'POST',
    url: '/api/alert-sources',
    headers: admin,
    payload: {
      source_type_name: 'test-json',
      name: `deliveries-${Math.random().toString(36).slice(2)}`,
      webhook_secret: SECRET,
      ...extra,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ uuid: string }>().uuid;
}

const post = (
  host: TestHost,
  source: string,
  payload: unknown,
  headers: Record<string, string> = bearer(SECRET),
) =>
  host.inject({
    method: 'POST',
    url: `/webhook/alert/${source}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    remoteAddress: '192.0.2.10',
  });

async function deliveries(host: TestHost, source: string, query = ''): Promise<Delivery[]> {
  const response = await host.inject({
    method: 'GET',
    url: `/api/alert-sources/${source}/deliveries${query}`,
    headers: admin,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ data: Delivery[] }>().data;
}

describe("an alert source's recent deliveries", () => {
  it('shows an accepted delivery with its alert count, and refusals with their code and message', async () => {
    const source = await newSource();
    expect((await post(a, source, { alerts: [{ id: '1' }, { id: '2' }] })).statusCode).toBe(202);
    expect((await post(a, source, { alerts: [{ id: '3' }] }, {})).statusCode).toBe(401);
    expect((await post(a, source, { alerts: 'nope' })).statusCode).toBe(400);
    expect((await post(a, source, '{"alerts": [')).statusCode).toBe(400);

    const [broken, invalid, unauthorized, accepted] = await deliveries(a, source);
    expect(accepted).toMatchObject({
      status_code: 202,
      accepted: true,
      error_code: null,
      error_message: null,
      alert_count: 2,
      client_address: '192.0.2.10',
    });
    expect(Date.parse(accepted!.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(unauthorized).toMatchObject({
      status_code: 401,
      accepted: false,
      error_code: 'AKM_WEBHOOK_UNAUTHORIZED',
      alert_count: 0,
    });
    expect(unauthorized?.error_message).toMatch(/^The webhook secret is missing or wrong/);
    expect(invalid).toMatchObject({
      status_code: 400,
      accepted: false,
      error_code: 'AKM_PAYLOAD_INVALID',
      error_message: expect.stringContaining('alerts must be an array'),
    });
    expect(broken).toMatchObject({ status_code: 400, accepted: false });
    expect(broken?.error_code).toMatch(/^FST_ERR_CTP_/);
  });

  it('records the refusals of a disabled source, and nothing for an unknown one', async () => {
    const source = await newSource();
    const disabled = await a.inject({
      method: 'PUT',
      url: `/api/alert-sources/${source}`,
      headers: admin,
      payload: { enabled: false },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect((await post(a, source, { alerts: [{ id: '1' }] })).statusCode).toBe(404);
    expect(await deliveries(a, source)).toMatchObject([
      { status_code: 404, error_code: 'AKM_SOURCE_NOT_FOUND', accepted: false },
    ]);

    const unknown = '00000000-0000-4000-8000-00000000d0d0';
    expect((await post(a, unknown, { alerts: [] })).statusCode).toBe(404);
    const missing = await a.inject({
      method: 'GET',
      url: `/api/alert-sources/${unknown}/deliveries`,
      headers: admin,
    });
    expect(missing.statusCode).toBe(404);
    const { rows } = await database.executeSql<{ n: number }>(
      'select count(*)::int as n from webhook_deliveries where source_id = $1',
      [unknown],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('keeps only the newest 50 of a source, newest first', async () => {
    const source = await newSource();
    for (let i = 0; i < 60; i++)
      expect((await post(a, source, { alerts: [{ id: `n${i}` }] })).statusCode).toBe(202);
    const kept = await deliveries(a, source);
    expect(kept).toHaveLength(50);
    const times = kept.map((delivery) => Date.parse(delivery.at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect((await deliveries(a, source, '?limit=5')).length).toBe(5);
    const { rows } = await database.executeSql<{ n: number }>(
      'select count(*)::int as n from webhook_deliveries where source_id = $1',
      [source],
    );
    expect(rows[0]?.n).toBe(50);
    const tooMany = await a.inject({
      method: 'GET',
      url: `/api/alert-sources/${source}/deliveries?limit=51`,
      headers: admin,
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('are shared by the replicas: a delivery taken by one is shown by the other', async () => {
    const source = await newSource();
    expect((await post(a, source, { alerts: [{ id: 'x' }] })).statusCode).toBe(202);
    expect((await post(b, source, { alerts: [{ id: 'y' }, { id: 'z' }] })).statusCode).toBe(202);
    const seen = await eventually(async () => {
      const fromB = await deliveries(b, source);
      expect(fromB).toHaveLength(2);
      return fromB;
    }, 10_000);
    expect(seen.map((delivery) => delivery.alert_count).sort()).toEqual([1, 2]);
    expect(await deliveries(a, source)).toEqual(seen);
  });

  it('are for admins', async () => {
    const source = await newSource();
    const password = 'a long enough password';
    await a.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { username: 'rhea', password, role: 'responder' },
    });
    const login = await a.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'rhea', password },
    });
    const refused = await a.inject({
      method: 'GET',
      url: `/api/alert-sources/${source}/deliveries`,
      headers: bearer(login.json<{ token: string }>().token),
    });
    expect(refused.statusCode).toBe(403);
  });
});
