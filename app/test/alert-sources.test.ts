import type { TestHost } from '@akmatori/host/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';
import { testAdapterPlugin } from './support/test-plugin.js';

let host: TestHost;
let admin: Record<string, string>;
let logs: () => string;

beforeEach(async () => {
  const captured = capturedLogger();
  logs = captured.text;
  host = await startApp({ plugins: [testAdapterPlugin()], log: captured.log });
  admin = bearer(await setUpAdmin(host));
});
afterEach(async () => {
  await host.close();
});

const api = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
) => host.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) });

describe('alert source types', () => {
  it('lists every adapter with its config schema, how to authenticate and an example payload', async () => {
    const response = await api('GET', '/api/alert-source-types');
    expect(response.statusCode).toBe(200);
    const types = response.json<{ data: Record<string, unknown>[] }>().data;
    expect(types.find((t) => t.name === 'test-json')).toEqual({
      name: 'test-json',
      display_name: 'Test JSON',
      config_schema: { type: 'object', properties: {}, additionalProperties: false },
      authentication: 'Authorization: Bearer <webhook secret>, or X-Test-Key: <webhook secret>',
      fingerprint_fields: ['alerts[].id'],
      example_payload: { alerts: [{ id: 'sample-1', name: 'SampleAlert', severity: 'critical' }] },
    });
  });
});

describe('alert source types: authentication', () => {
  it('each says how to authenticate once: the bearer secret is named a single time', async () => {
    const types = (await api('GET', '/api/alert-source-types')).json<{
      data: { name: string; authentication: string }[];
    }>().data;
    expect(types.length).toBeGreaterThanOrEqual(6);
    for (const type of types)
      expect(
        type.authentication.split('Authorization: Bearer').length - 1,
        `${type.name}: ${type.authentication}`,
      ).toBe(1);
  });
});

describe('a query value outside its allowed set', () => {
  it('is refused with the allowed values listed (?status= of the approvals)', async () => {
    const response = await api('GET', '/api/approvals?status=maybe');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(
      /status must be equal to one of the allowed values: "pending", "approved", "denied", "expired"$/,
    );
  });
});

describe('alert sources', () => {
  it('are created, read, listed, changed and deleted; the secret is write-only', async () => {
    const created = await api('POST', '/api/alert-sources', {
      source_type_name: 'test-json',
      name: 'prod',
      webhook_secret: 'super-secret-value',
      field_mappings: { host: 'labels.node' },
    });
    expect(created.statusCode).toBe(201);
    const source = created.json<Record<string, unknown>>();
    expect(source).toMatchObject({
      source_type_name: 'test-json',
      name: 'prod',
      has_webhook_secret: true,
      unauthenticated: false,
      warnings: [],
      field_mappings: { host: 'labels.node' },
      enabled: true,
      group_by: [],
      grouping_window_seconds: 30,
    });
    const uuid = source.uuid as string;
    for (const response of [
      created,
      await api('GET', `/api/alert-sources/${uuid}`),
      await api('GET', '/api/alert-sources'),
    ]) {
      expect(response.body).not.toContain('super-secret-value');
      expect(response.body).not.toContain('akm1:');
    }
    expect(logs()).not.toContain('super-secret-value');

    const changed = await api('PUT', `/api/alert-sources/${uuid}`, {
      name: 'production',
      enabled: false,
      grouping_window_seconds: 5,
    });
    expect(changed.json()).toMatchObject({
      name: 'production',
      enabled: false,
      grouping_window_seconds: 5,
      has_webhook_secret: true,
    });
    const cleared = await api('PUT', `/api/alert-sources/${uuid}`, {
      webhook_secret: null,
      allow_unauthenticated: true,
    });
    expect(cleared.json()).toMatchObject({ has_webhook_secret: false, unauthenticated: true });

    expect((await api('GET', '/api/alert-sources')).json<{ data: unknown[] }>().data).toHaveLength(
      1,
    );
    expect((await api('DELETE', `/api/alert-sources/${uuid}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/alert-sources/${uuid}`)).statusCode).toBe(404);
    expect((await api('DELETE', `/api/alert-sources/${uuid}`)).statusCode).toBe(404);
  });

  it('stores the webhook secret sealed and bound to its source', async () => {
    const { uuid } = (
      await api('POST', '/api/alert-sources', {
        source_type_name: 'test-json',
        name: 'a',
        webhook_secret: 'secret-for-a',
      })
    ).json<{ uuid: string }>();
    const row = (await host.database.knex('alert_sources').where({ id: uuid }).first()) as {
      webhook_secret: string;
    };
    expect(row.webhook_secret).toMatch(/^akm1:/);
    expect(host.secretBox.open(row.webhook_secret, `alert_source:${uuid}:webhook_secret`)).toBe(
      'secret-for-a',
    );
  });

  it('refuses an unknown type, unknown mapping fields, a short secret and unknown fields with 400', async () => {
    const unknownType = await api('POST', '/api/alert-sources', {
      source_type_name: 'carrier-pigeon',
      name: 'x',
    });
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json()).toMatchObject({
      code: 'AKM_UNKNOWN_SOURCE_TYPE',
      message: expect.stringContaining('test-json'),
    });
    for (const payload of [
      { source_type_name: 'test-json', name: 'x', field_mappings: { colour: 'labels.c' } },
      { source_type_name: 'test-json', name: 'x', webhook_secret: 'short' },
      { source_type_name: 'test-json', name: 'x', surprise: true },
      { source_type_name: 'test-json' },
      { source_type_name: 'test-json', name: 'x', grouping_window_seconds: -1 },
    ]) {
      const response = await api('POST', '/api/alert-sources', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('refuses adapter config that does not match the adapter schema', async () => {
    const response = await api('POST', '/api/alert-sources', {
      source_type_name: 'test-json',
      name: 'x',
      config: { unexpected: 1 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'AKM_SOURCE_CONFIG_INVALID',
      message: expect.stringContaining('config.unexpected'),
    });
  });

  it('test runs the sample payload through the whole pipeline', async () => {
    const { uuid } = (
      await api('POST', '/api/alert-sources', {
        source_type_name: 'test-json',
        name: 't',
        webhook_secret: 'needs-auth-1',
      })
    ).json<{ uuid: string }>();
    const response = await api('POST', `/api/alert-sources/${uuid}/test`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      sample: 'one firing',
      received: 1,
      alerts: [expect.any(Number)],
    });
    const incidents = (await api('GET', `/api/incidents?source_uuid=${uuid}`)).json<{
      data: Record<string, unknown>[];
    }>();
    expect(incidents.data).toEqual([
      expect.objectContaining({ title: 'SampleAlert', severity: 'critical', alert_count: 1 }),
    ]);
    expect(
      (await api('POST', `/api/alert-sources/${uuid}/test`, { sample: 'nope' })).statusCode,
    ).toBe(404);
  });
});

describe('incident listing', () => {
  it('filters by status, severity, source, time range and text, and paginates', async () => {
    const { uuid } = (
      await api('POST', '/api/alert-sources', {
        source_type_name: 'test-json',
        name: 's',
        allow_unauthenticated: true,
      })
    ).json<{ uuid: string }>();
    await api('POST', '/api/incidents', { task: 'Checkout is slow', severity: 'high' });
    host.clock.advance(60_000);
    const middle = host.clock.now().toISOString();
    await api('POST', '/api/incidents', { task: 'Disk almost full on db-2', severity: 'critical' });
    host.clock.advance(60_000);
    await host.inject({
      method: 'POST',
      url: `/webhook/alert/${uuid}`,
      payload: { alerts: [{ id: 'x', name: 'QueueBacklog', severity: 'info' }] },
    });
    const list = async (query: string) =>
      (await api('GET', `/api/incidents${query}`)).json<{
        data: { title: string }[];
        pagination: Record<string, number>;
      }>();
    await expect.poll(async () => (await list('')).pagination.total).toBe(3);

    expect((await list('?severity=critical')).data.map((i) => i.title)).toEqual([
      'Disk almost full on db-2',
    ]);
    expect((await list('?severity=critical&severity=high')).data).toHaveLength(2);
    expect((await list('?source_type=manual')).data).toHaveLength(2);
    expect((await list(`?source_uuid=${uuid}`)).data.map((i) => i.title)).toEqual(['QueueBacklog']);
    expect((await list('?q=DISK')).data.map((i) => i.title)).toEqual(['Disk almost full on db-2']);
    expect((await list(`?from=${encodeURIComponent(middle)}`)).pagination.total).toBe(2);
    expect((await list(`?to=${encodeURIComponent(middle)}`)).data.map((i) => i.title)).toEqual([
      'Checkout is slow',
    ]);
    expect((await list('?status=pending')).pagination.total).toBe(3);
    expect((await list('?status=completed')).pagination.total).toBe(0);
    const page2 = await list('?per_page=2&page=2');
    expect(page2.pagination).toEqual({ page: 2, per_page: 2, total: 3 });
    expect(page2.data.map((i) => i.title)).toEqual(['Checkout is slow']);
    const unknown = await api('GET', '/api/incidents?status=exploded');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ message: string }>().message).toContain(
      'is not one of pending, investigating, completed, failed, cancelled',
    );
    expect(
      (await api('GET', '/api/incidents/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
  });
});
