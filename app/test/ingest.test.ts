import type { TestHost } from '@akmatori/host/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { eventually } from './support/eventually.js';
import { testAdapterPlugin, type TestAlert } from './support/test-plugin.js';

let host: TestHost;
let admin: Record<string, string>;

beforeEach(async () => {
  host = await startApp({
    plugins: [testAdapterPlugin()],
    config: { webhookBodyLimitBytes: 64 * 1024 },
  });
  admin = bearer(await setUpAdmin(host));
});
afterEach(async () => {
  await host.close();
});

async function createSource(
  body: Record<string, unknown> = {},
): Promise<{ uuid: string; webhook_url: string }> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/alert-sources',
    headers: admin,
    payload: {
      source_type_name: 'test-json',
      name: 'test source',
      webhook_secret: 'webhook-secret-1',
      ...body,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const send = (
  uuid: string,
  alerts: TestAlert[] | unknown,
  headers: Record<string, string> = bearer('webhook-secret-1'),
) =>
  host.inject({
    method: 'POST',
    url: `/webhook/alert/${uuid}`,
    headers,
    payload: { alerts } as Record<string, unknown>,
  });

const incidents = async (
  query = '',
): Promise<{ data: Record<string, unknown>[]; pagination: { total: number } }> =>
  (await host.inject({ method: 'GET', url: `/api/incidents${query}`, headers: admin })).json();

const queuedInvestigations = async (): Promise<number> => {
  const result = await host.database.executeSql<{ n: number }>(
    "select count(*)::int as n from pgboss.job where name = 'investigation'",
  );
  return result.rows[0]?.n ?? 0;
};

describe('POST /webhook/alert/{uuid}', () => {
  it('answers 202 with the ids of the stored alerts, and they become one incident', async () => {
    const source = await createSource();
    expect(source.webhook_url).toBe(`${host.config.publicUrl}/webhook/alert/${source.uuid}`);
    const response = await send(source.uuid, [
      { id: 'a', name: 'DiskFull', severity: 'critical', group: 'g', host: 'db-1' },
      { id: 'b', name: 'DiskSlow', severity: 'warning', group: 'g', host: 'db-1' },
    ]);
    expect(response.statusCode).toBe(202);
    const receipt = response.json<{ received: number; alerts: number[] }>();
    expect(receipt.received).toBe(2);
    expect(receipt.alerts).toHaveLength(2);
    const stored = await host.database.executeSql<{ id: number }>(
      'select id from alert_events order by id',
    );
    expect(stored.rows.map((row) => Number(row.id))).toEqual(receipt.alerts);

    const list = await eventually(async () => {
      const page = await incidents();
      expect(page.data[0]).toMatchObject({ alert_count: 2 });
      return page;
    });
    expect(list.pagination.total).toBe(1);
    expect(list.data[0]).toMatchObject({
      title: 'DiskFull',
      status: 'pending',
      severity: 'critical',
      source_type: 'test-json',
      firing_count: 2,
      alerts_resolved: false,
    });
    const alerts = await host.inject({
      method: 'GET',
      url: `/api/incidents/${list.data[0]?.uuid as string}/alerts`,
      headers: admin,
    });
    expect(alerts.json<{ data: unknown[] }>().data).toEqual([
      expect.objectContaining({
        fingerprint: 'a',
        name: 'DiskFull',
        status: 'firing',
        severity: 'critical',
        host: 'db-1',
        count: 1,
        labels: {},
        annotations: {},
      }),
      expect.objectContaining({
        fingerprint: 'b',
        name: 'DiskSlow',
        status: 'firing',
        severity: 'warning',
        raw_severity: 'warning',
      }),
    ]);
    expect(await queuedInvestigations()).toBe(1);
  });

  it('rejects missing or wrong credentials with 401, and accepts the adapter-specific method', async () => {
    const source = await createSource();
    const none = await send(source.uuid, [{ id: 'a' }], {});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({
      code: 'AKM_WEBHOOK_UNAUTHORIZED',
      message: expect.stringContaining('X-Test-Key'),
    });
    expect((await send(source.uuid, [{ id: 'a' }], bearer('wrong-secret'))).statusCode).toBe(401);
    expect(
      (await send(source.uuid, [{ id: 'a' }], { 'x-test-key': 'webhook-secret-1' })).statusCode,
    ).toBe(202);
    const rows = await host.database.executeSql<{ n: number }>(
      'select count(*)::int as n from alert_events',
    );
    expect(rows.rows[0]?.n).toBe(1);
  });

  it('answers 404 for an unknown, malformed or disabled source', async () => {
    const source = await createSource();
    expect((await send('00000000-0000-4000-8000-000000000000', [{ id: 'a' }])).statusCode).toBe(
      404,
    );
    expect((await send('not-a-uuid', [{ id: 'a' }])).statusCode).toBe(404);
    await host.inject({
      method: 'PUT',
      url: `/api/alert-sources/${source.uuid}`,
      headers: admin,
      payload: { enabled: false },
    });
    const disabled = await send(source.uuid, [{ id: 'a' }]);
    expect(disabled.statusCode).toBe(404);
    expect(disabled.json()).toMatchObject({ code: 'AKM_SOURCE_NOT_FOUND' });
  });

  it('answers 400 with the reason for a payload the adapter cannot read, and stores nothing', async () => {
    const source = await createSource();
    const response = await send(source.uuid, 'not a list');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'AKM_PAYLOAD_INVALID',
      message: 'Cannot read the alert payload: alerts must be an array',
    });
    const broken = await host.inject({
      method: 'POST',
      url: `/webhook/alert/${source.uuid}`,
      headers: { ...bearer('webhook-secret-1'), 'content-type': 'application/json' },
      payload: '{"alerts": [',
    });
    expect(broken.statusCode).toBe(400);
    const rows = await host.database.executeSql<{ n: number }>(
      'select count(*)::int as n from alert_events',
    );
    expect(rows.rows[0]?.n).toBe(0);
  });

  it('answers 413 over the body limit and 415 for a body that is not JSON', async () => {
    const source = await createSource();
    const big = await send(source.uuid, [{ id: 'a', name: 'x'.repeat(70 * 1024) }]);
    expect(big.statusCode).toBe(413);
    const text = await host.inject({
      method: 'POST',
      url: `/webhook/alert/${source.uuid}`,
      headers: { ...bearer('webhook-secret-1'), 'content-type': 'text/plain' },
      payload: 'alert!',
    });
    expect(text.statusCode).toBe(415);
    const vendorJson = await host.inject({
      method: 'POST',
      url: `/webhook/alert/${source.uuid}`,
      headers: {
        ...bearer('webhook-secret-1'),
        'content-type': 'application/vnd.alert+json; charset=utf-8',
      },
      payload: JSON.stringify({ alerts: [{ id: 'v' }] }),
    });
    expect(vendorJson.statusCode).toBe(202);
  });

  it('accepts anything on a source created without a secret by consent, and the API flags that source', async () => {
    const source = await createSource({ webhook_secret: undefined, allow_unauthenticated: true });
    const shown = await host.inject({
      method: 'GET',
      url: `/api/alert-sources/${source.uuid}`,
      headers: admin,
    });
    expect(shown.json()).toMatchObject({
      has_webhook_secret: false,
      allow_unauthenticated: true,
      unauthenticated: true,
      warnings: [expect.stringContaining('anyone')],
    });
    expect((await send(source.uuid, [{ id: 'a' }], {})).statusCode).toBe(202);
  });

  it('answers 202 with nothing stored for a payload with no alerts', async () => {
    const source = await createSource();
    const response = await send(source.uuid, []);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ received: 0, alerts: [] });
  });
});

describe('the incident engine', () => {
  it('deduplicates: the same firing alert again counts up, with no new incident or investigation', async () => {
    const source = await createSource();
    await send(source.uuid, [{ id: 'a', name: 'HighCPU' }]);
    await eventually(async () => expect((await incidents()).pagination.total).toBe(1));
    host.clock.advance(60_000);
    await send(source.uuid, [{ id: 'a', name: 'HighCPU' }]);
    await send(source.uuid, [{ id: 'a', name: 'HighCPU' }]);
    const uuid = (await incidents()).data[0]?.uuid as string;
    const alert = await eventually(async () => {
      const [only] = (
        await host.inject({ method: 'GET', url: `/api/incidents/${uuid}/alerts`, headers: admin })
      ).json<{ data: { count: number; last_seen_at: string; first_seen_at: string }[] }>().data;
      expect(only?.count).toBe(3);
      return only;
    });
    expect(new Date(alert!.last_seen_at).getTime() - new Date(alert!.first_seen_at).getTime()).toBe(
      60_000,
    );
    expect((await incidents()).pagination.total).toBe(1);
    expect(await queuedInvestigations()).toBe(1);
  });

  it('groups by the label set the source names when the sender gives no group key', async () => {
    const source = await createSource({ group_by: ['cluster'] });
    await send(source.uuid, [
      { id: 'a', name: 'One', labels: { cluster: 'eu' } },
      { id: 'b', name: 'Two', labels: { cluster: 'eu' } },
      { id: 'c', name: 'Three', labels: { cluster: 'us' } },
    ]);
    const page = await eventually(async () => {
      const current = await incidents();
      expect(current.pagination.total).toBe(2);
      return current;
    });
    expect(page.data.map((i) => [i.group_key, i.alert_count]).sort()).toEqual([
      ['cluster=eu', 2],
      ['cluster=us', 1],
    ]);
  });

  it('by default groups alerts of the same name', async () => {
    const source = await createSource();
    await send(source.uuid, [
      { id: 'a', name: 'Same' },
      { id: 'b', name: 'Same' },
      { id: 'c', name: 'Other' },
    ]);
    await eventually(async () => expect((await incidents()).pagination.total).toBe(2));
  });

  it('marks the incident resolved once every alert has resolved', async () => {
    const source = await createSource();
    await send(source.uuid, [
      { id: 'a', group: 'g' },
      { id: 'b', group: 'g' },
    ]);
    await eventually(async () =>
      expect((await incidents()).data[0]).toMatchObject({ firing_count: 2 }),
    );
    await send(source.uuid, [{ id: 'a', status: 'resolved', group: 'g' }]);
    await eventually(async () =>
      expect((await incidents()).data[0]).toMatchObject({
        firing_count: 1,
        alerts_resolved: false,
      }),
    );
    await send(source.uuid, [
      { id: 'b', status: 'resolved', group: 'g', endsAt: '2026-01-01T00:00:00Z' },
    ]);
    const incident = await eventually(async () => {
      const [current] = (await incidents()).data;
      expect(current).toMatchObject({ firing_count: 0, alerts_resolved: true });
      return current;
    });
    expect(incident?.status).toBe('pending');
    const alerts = (
      await host.inject({
        method: 'GET',
        url: `/api/incidents/${incident?.uuid as string}/alerts`,
        headers: admin,
      })
    ).json<{ data: { status: string; ends_at: string | null }[] }>();
    expect(alerts.data.map((a) => a.status)).toEqual(['resolved', 'resolved']);
    expect(alerts.data[1]?.ends_at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('applies field mappings from the source', async () => {
    const source = await createSource({
      field_mappings: { host: 'labels.node', severity: 'labels.level', name: 'labels.title' },
    });
    await send(source.uuid, [
      {
        id: 'a',
        name: 'Original',
        host: 'ignored',
        labels: { node: 'node-7', level: 'P1', title: 'Mapped name' },
      },
    ]);
    const uuid = await eventually(async () => {
      const [incident] = (await incidents()).data;
      expect(incident).toBeDefined();
      return incident?.uuid as string;
    });
    const [alert] = (
      await host.inject({ method: 'GET', url: `/api/incidents/${uuid}/alerts`, headers: admin })
    ).json<{ data: Record<string, unknown>[] }>().data;
    expect(alert).toMatchObject({
      name: 'Mapped name',
      host: 'node-7',
      severity: 'critical',
      raw_severity: 'P1',
    });
  });
});
