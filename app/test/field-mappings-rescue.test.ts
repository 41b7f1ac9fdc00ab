import { builtinAdapters } from '@akmatori/adapters';
import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { eventually } from './support/eventually.js';

// A sender in a shape no built-in adapter knows: Keep's Zabbix media type (`name`,
// `host_name`, `status`, `severity`, `id`, tags as a JSON string). The source's field mappings
// say where its fields are, and they apply before the adapter's verdict that one is missing.
const keepZabbix = (status: 'PROBLEM' | 'RESOLVED', id = '4242') => ({
  name: 'High CPU utilization on web-1',
  host_name: 'web-1',
  host_ip: '10.0.0.5',
  status,
  severity: 'High',
  id,
  description: 'CPU load above 90 % for 5 minutes',
  tags: '[{"tag":"service","value":"web"}]',
  lastReceived: '2026.12.05 10:00:00',
});

const mappings = {
  name: 'name',
  host: 'host_name',
  status: 'status',
  severity: 'severity',
  fingerprint: 'id',
  description: 'description',
};

let host: TestHost;
let admin: Record<string, string>;

beforeAll(async () => {
  host = await startApp();
  admin = bearer(await setUpAdmin(host));
});
afterAll(async () => {
  await host.close();
});

async function createSource(type: string, fieldMappings: Record<string, string>): Promise<string> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/alert-sources',
    headers: admin,
    payload: {
      source_type_name: type,
      name: `${type} in Keep's shape`,
      allow_unauthenticated: true,
      field_mappings: fieldMappings,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ uuid: string }>().uuid;
}

const send = (uuid: string, payload: Record<string, unknown>) =>
  host.inject({ method: 'POST', url: `/webhook/alert/${uuid}`, payload });

async function alertsOf(sourceId: string): Promise<Record<string, unknown>[]> {
  const incidents = (
    await host.inject({ method: 'GET', url: '/api/incidents?per_page=200', headers: admin })
  ).json<{ data: { uuid: string; source_id?: string; alert_source_id?: string }[] }>().data;
  const all: Record<string, unknown>[] = [];
  for (const incident of incidents) {
    const alerts = (
      await host.inject({
        method: 'GET',
        url: `/api/incidents/${incident.uuid}/alerts`,
        headers: admin,
      })
    ).json<{ data: Record<string, unknown>[] }>().data;
    all.push(...alerts.filter((alert) => alert.fingerprint === `${sourceId}-fp`));
  }
  return all;
}

const adapterIds = builtinAdapters().adapters!.map((adapter) => adapter.id);

describe("field mappings rescue a payload in another sender's shape", () => {
  it('covers every built-in adapter', () => {
    expect(adapterIds.sort()).toEqual([
      'alertmanager',
      'datadog',
      'grafana',
      'pagerduty',
      'zabbix',
    ]);
  });

  it.each(adapterIds)(
    '%s: without mappings the payload is refused as invalid, with them it is accepted as mapped, and resolves',
    async (type) => {
      const bare = await createSource(type, {});
      const refused = await send(bare, keepZabbix('PROBLEM'));
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json<{ code: string }>().code).toBe('AKM_PAYLOAD_INVALID');

      const uuid = await createSource(type, mappings);
      const fingerprint = `${uuid}-fp`;
      const accepted = await send(uuid, keepZabbix('PROBLEM', fingerprint));
      expect(accepted.statusCode, accepted.body).toBe(202);
      await eventually(async () => {
        const [alert] = await alertsOf(uuid);
        expect(alert).toMatchObject({
          name: 'High CPU utilization on web-1',
          host: 'web-1',
          status: 'firing',
          severity: 'high',
          raw_severity: 'High',
          fingerprint,
          description: 'CPU load above 90 % for 5 minutes',
        });
      });

      const resolved = await send(uuid, keepZabbix('RESOLVED', fingerprint));
      expect(resolved.statusCode, resolved.body).toBe(202);
      await eventually(async () => {
        const alerts = await alertsOf(uuid);
        expect(alerts).toHaveLength(1);
        expect(alerts[0]).toMatchObject({ status: 'resolved', fingerprint });
      });
    },
  );

  it('a payload the adapter refuses stays refused when the mappings give no name', async () => {
    const uuid = await createSource('zabbix', { host: 'host_name' });
    const response = await send(uuid, keepZabbix('PROBLEM'));
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain('alert_name is missing');
  });
});
