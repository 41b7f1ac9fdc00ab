import type { TestHost } from '@akmatori/host/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { eventually } from './support/eventually.js';
import { testAdapterPlugin } from './support/test-plugin.js';

let host: TestHost;
let admin: Record<string, string>;

beforeEach(async () => {
  host = await startApp({ plugins: [testAdapterPlugin()] });
  admin = bearer(await setUpAdmin(host));
});
afterEach(async () => {
  await host.close();
});

const api = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  host.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) });

async function createSource(name: string): Promise<string> {
  const response = await api('POST', '/api/alert-sources', {
    source_type_name: 'test-json',
    name,
    webhook_secret: 'a-long-webhook-secret',
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ uuid: string }>().uuid;
}

/** The incident the source's test opened, as the API shows it. */
async function incidentOf(sourceId: string): Promise<Record<string, unknown>> {
  const { data } = (await api('GET', `/api/incidents?source_uuid=${sourceId}`)).json<{
    data: Record<string, unknown>[];
  }>();
  expect(data).toHaveLength(1);
  return data[0]!;
}

/** Investigation jobs queued for an incident. */
async function queuedFor(incidentId: string): Promise<number> {
  const result = await host.database.executeSql<{ n: number }>(
    "select count(*)::int as n from pgboss.job where name = 'investigation' and data->>'incidentId' = $1",
    [incidentId],
  );
  return result.rows[0]?.n ?? 0;
}

describe('POST /api/alert-sources/{uuid}/test', () => {
  it('opens an incident marked as a test that is not investigated', async () => {
    const source = await createSource('no investigation');
    const response = await api('POST', `/api/alert-sources/${source}/test`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ received: 1, test: true, investigate: false });
    const incident = await incidentOf(source);
    expect(incident).toMatchObject({ test: true, status: 'pending' });
    expect(await queuedFor(incident.uuid as string)).toBe(0);
    // The single incident read says so too.
    const one = (await api('GET', `/api/incidents/${incident.uuid as string}`)).json();
    expect(one).toMatchObject({ test: true });
  });

  it('investigates the test incident when asked with ?investigate=true', async () => {
    const source = await createSource('asked in the query');
    const response = await api('POST', `/api/alert-sources/${source}/test?investigate=true`);
    expect(response.json()).toMatchObject({ test: true, investigate: true });
    const incident = await incidentOf(source);
    expect(incident.test).toBe(true);
    expect(await queuedFor(incident.uuid as string)).toBe(1);
  });

  it('investigates the test incident when asked in the body', async () => {
    const source = await createSource('asked in the body');
    const response = await api('POST', `/api/alert-sources/${source}/test`, { investigate: true });
    expect(response.json()).toMatchObject({ test: true, investigate: true });
    expect(await queuedFor((await incidentOf(source)).uuid as string)).toBe(1);
  });

  it('a real alert opens an incident that is no test and is investigated', async () => {
    const source = await createSource('real');
    const sent = await host.inject({
      method: 'POST',
      url: `/webhook/alert/${source}`,
      headers: bearer('a-long-webhook-secret'),
      payload: { alerts: [{ id: 'r1', name: 'RealAlert', severity: 'critical' }] },
    });
    expect(sent.statusCode).toBe(202);
    const incident = await eventually(() => incidentOf(source));
    expect(incident.test).toBe(false);
    expect(await queuedFor(incident.uuid as string)).toBe(1);
  });
});
