import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { eventually } from './support/eventually.js';
import {
  recordedEvents,
  recordingNotifierPlugin,
  testAdapterPlugin,
  type TestAlert,
} from './support/test-plugin.js';

interface Incident {
  uuid: string;
  state: 'open' | 'acknowledged' | 'resolved';
  investigation_status: string;
  status: string;
  firing_count: number;
  alert_count: number;
  acknowledged_at: string | null;
  acknowledged_by: { kind: string; user_id: string | null; name: string } | null;
  resolved_at: string | null;
  resolved_by: { kind: string; user_id: string | null; name: string } | null;
  reopened_at: string | null;
  reopen_count: number;
}

let host: TestHost;
let admin: Record<string, string>;
let adminId: string;
let responder: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  host = await startApp({
    plugins: [testAdapterPlugin(), recordingNotifierPlugin()],
    config: { notifiers: { recorder: {} } },
  });
  admin = bearer(await setUpAdmin(host));
  adminId = (await host.inject({ method: 'GET', url: '/api/me', headers: admin })).json<{
    id: string;
  }>().id;
  responder = await userWithRole('rita', 'responder');
  viewer = await userWithRole('victor', 'viewer');
}, 120_000);

afterAll(async () => {
  await host?.close();
});

async function userWithRole(username: string, role: string): Promise<Record<string, string>> {
  const password = 'a long enough password';
  const created = await host.inject({
    method: 'POST',
    url: '/api/users',
    headers: admin,
    payload: { username, password, role },
  });
  expect(created.statusCode, created.body).toBe(201);
  const login = await host.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username, password },
  });
  expect(login.statusCode, login.body).toBe(200);
  return bearer(login.json<{ token: string }>().token);
}

async function newSource(): Promise<string> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/alert-sources',
    headers: admin,
    payload: {
      source_type_name: 'test-json',
      name: `source-${Math.random().toString(36).slice(2)}`,
      allow_unauthenticated: true,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ uuid: string }>().uuid;
}

async function send(source: string, alerts: TestAlert[]): Promise<void> {
  const response = await host.inject({
    method: 'POST',
    url: `/webhook/alert/${source}`,
    payload: { alerts },
  });
  expect(response.statusCode, response.body).toBe(202);
}

async function incidentsOf(source: string): Promise<Incident[]> {
  const response = await host.inject({
    method: 'GET',
    url: `/api/incidents?source_uuid=${source}`,
    headers: admin,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ data: Incident[] }>().data;
}

/** An incident of a fresh source with one firing alert `a`. */
async function alertIncident(): Promise<{ source: string; incident: Incident }> {
  const source = await newSource();
  await send(source, [{ id: 'a', name: 'DiskFull', group: 'g' }]);
  const incident = await eventually(async () => {
    const [only] = await incidentsOf(source);
    expect(only).toBeDefined();
    return only!;
  });
  return { source, incident };
}

async function manualIncident(): Promise<Incident> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: admin,
    payload: { task: 'look at the disk' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Incident>();
}

const act = (uuid: string, action: string, headers = responder) =>
  host.inject({ method: 'POST', url: `/api/incidents/${uuid}/${action}`, headers });

describe("an incident's own state, apart from its investigation", () => {
  it('opens as open while its investigation is pending', async () => {
    const { incident } = await alertIncident();
    expect(incident).toMatchObject({
      state: 'open',
      investigation_status: 'pending',
      status: 'pending',
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
      reopen_count: 0,
    });
  });

  it('records who acknowledged it and when; acknowledging again changes nothing', async () => {
    const incident = await manualIncident();
    const first = await act(incident.uuid, 'acknowledge', admin);
    expect(first.statusCode, first.body).toBe(200);
    const acknowledged = first.json<Incident>();
    expect(acknowledged).toMatchObject({
      state: 'acknowledged',
      acknowledged_by: { kind: 'user', user_id: adminId, name: 'admin' },
    });
    expect(Date.parse(acknowledged.acknowledged_at!)).toBeGreaterThan(Date.now() - 60_000);
    const again = await act(incident.uuid, 'acknowledge');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<Incident>()).toMatchObject({
      state: 'acknowledged',
      acknowledged_at: acknowledged.acknowledged_at,
      acknowledged_by: { name: 'admin' },
    });
  });

  it('names an API token and the user it acts for', async () => {
    const token = await host.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'pager-bridge', role: 'responder' },
    });
    expect(token.statusCode, token.body).toBe(201);
    const incident = await manualIncident();
    const acknowledged = await act(
      incident.uuid,
      'acknowledge',
      bearer(token.json<{ token: string }>().token),
    );
    expect(acknowledged.json<Incident>().acknowledged_by).toEqual({
      kind: 'api_token',
      user_id: adminId,
      name: 'pager-bridge',
    });
  });

  it('is resolved by a responder, and a resolved incident is not acknowledged until reopened', async () => {
    const incident = await manualIncident();
    const resolved = await act(incident.uuid, 'resolve');
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json<Incident>()).toMatchObject({
      state: 'resolved',
      resolved_by: { kind: 'user', name: 'rita' },
      investigation_status: incident.investigation_status,
    });
    expect((await act(incident.uuid, 'resolve')).statusCode).toBe(200);

    const refused = await act(incident.uuid, 'acknowledge');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'AKM_INCIDENT_STATE_CONFLICT',
      message: `Incident ${incident.uuid} is resolved: acknowledge applies only to open incidents`,
      details: { state: 'resolved', action: 'acknowledge', allowed_from: ['open'] },
    });

    const reopened = await act(incident.uuid, 'reopen');
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json<Incident>()).toMatchObject({
      state: 'open',
      resolved_at: null,
      resolved_by: null,
      reopen_count: 1,
    });
    expect((await act(incident.uuid, 'acknowledge')).json<Incident>().state).toBe('acknowledged');
    const notResolved = await act(incident.uuid, 'reopen');
    expect(notResolved.statusCode).toBe(409);
    expect(notResolved.json<{ code: string }>().code).toBe('AKM_INCIDENT_STATE_CONFLICT');
  });

  it('is not changed by a viewer', async () => {
    const incident = await manualIncident();
    for (const action of ['acknowledge', 'resolve', 'reopen']) {
      const refused = await act(incident.uuid, action, viewer);
      expect(refused.statusCode, action).toBe(403);
      expect(refused.json<{ code: string }>().code).toBe('AKM_FORBIDDEN');
    }
    expect((await act(incident.uuid, 'resolve', viewer)).statusCode).toBe(403);
  });

  it('answers 404 for an incident that does not exist', async () => {
    const missing = await act('00000000-0000-4000-8000-000000000000', 'resolve');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ code: string }>().code).toBe('AKM_NOT_FOUND');
  });
});

describe('automatic changes from alerts (through the webhook)', () => {
  it('resolves the incident, as system, when all its alerts resolve', async () => {
    const { source, incident } = await alertIncident();
    await act(incident.uuid, 'acknowledge');
    await send(source, [{ id: 'a', name: 'DiskFull', group: 'g', status: 'resolved' }]);
    const resolved = await eventually(async () => {
      const [current] = await incidentsOf(source);
      expect(current?.state).toBe('resolved');
      return current!;
    });
    expect(resolved).toMatchObject({
      firing_count: 0,
      resolved_by: { kind: 'system', user_id: null, name: 'system' },
      acknowledged_by: { name: 'rita' },
      investigation_status: 'pending',
    });
    const event = await eventually(() => {
      const found = recordedEvents.find(
        (e) =>
          e.type === 'incident.state_changed' &&
          e.incident.uuid === incident.uuid &&
          e.incident.state === 'resolved',
      );
      expect(found).toBeDefined();
      return found;
    });
    expect(event).toMatchObject({
      from: 'acknowledged',
      by: { kind: 'system' },
      incident: { state: 'resolved' },
    });
  });

  it('reopens the same incident when one of its alerts fires again', async () => {
    const { source, incident } = await alertIncident();
    const t0 = Date.now();
    await send(source, [
      {
        id: 'a',
        name: 'DiskFull',
        group: 'g',
        status: 'resolved',
        endsAt: new Date(t0).toISOString(),
      },
    ]);
    await eventually(async () => expect((await incidentsOf(source))[0]?.state).toBe('resolved'));
    await send(source, [
      { id: 'a', name: 'DiskFull', group: 'g', startsAt: new Date(t0 + 1000).toISOString() },
    ]);
    const reopened = await eventually(async () => {
      const [current] = await incidentsOf(source);
      expect(current?.state).toBe('open');
      return current!;
    });
    expect(await incidentsOf(source)).toHaveLength(1);
    expect(reopened).toMatchObject({
      uuid: incident.uuid,
      firing_count: 1,
      alert_count: 2,
      resolved_at: null,
      resolved_by: null,
      reopen_count: 1,
    });
    expect(reopened.reopened_at).not.toBeNull();
    await eventually(() =>
      expect(
        recordedEvents.some(
          (e) =>
            e.type === 'incident.state_changed' &&
            e.incident.uuid === incident.uuid &&
            e.from === 'resolved' &&
            e.incident.state === 'open',
        ),
      ).toBe(true),
    );
  });

  it('keeps an incident resolved by hand while its alert repeats, and reopens it for a new alert of its group', async () => {
    const { source, incident } = await alertIncident();
    await act(incident.uuid, 'resolve');
    await send(source, [{ id: 'a', name: 'DiskFull', group: 'g' }]);
    await eventually(async () =>
      expect(
        (
          await host.inject({
            method: 'GET',
            url: `/api/incidents/${incident.uuid}/alerts`,
            headers: admin,
          })
        ).json<{ data: { count: number }[] }>().data[0]?.count,
      ).toBe(2),
    );
    expect((await incidentsOf(source))[0]).toMatchObject({
      state: 'resolved',
      resolved_by: { name: 'rita' },
    });
    await send(source, [{ id: 'b', name: 'DiskFull', group: 'g' }]);
    await eventually(async () =>
      expect((await incidentsOf(source))[0]).toMatchObject({
        uuid: incident.uuid,
        state: 'open',
        firing_count: 2,
        reopen_count: 1,
      }),
    );
  });
});

describe('the incident list', () => {
  it('filters by state, repeated or comma-separated, next to the investigation status', async () => {
    const open = await manualIncident();
    const acknowledged = await manualIncident();
    await act(acknowledged.uuid, 'acknowledge');
    const resolved = await manualIncident();
    await act(resolved.uuid, 'resolve');
    const uuids = async (query: string): Promise<Set<string>> => {
      const response = await host.inject({
        method: 'GET',
        url: `/api/incidents?per_page=200&${query}`,
        headers: viewer,
      });
      expect(response.statusCode, response.body).toBe(200);
      return new Set(response.json<{ data: Incident[] }>().data.map((i) => i.uuid));
    };
    const openOrAcknowledged = await uuids('state=open,acknowledged');
    expect(openOrAcknowledged.has(open.uuid)).toBe(true);
    expect(openOrAcknowledged.has(acknowledged.uuid)).toBe(true);
    expect(openOrAcknowledged.has(resolved.uuid)).toBe(false);
    expect(await uuids('state=open&state=acknowledged')).toEqual(openOrAcknowledged);
    const resolvedPending = await uuids('state=resolved&investigation_status=pending');
    expect(resolvedPending.has(resolved.uuid)).toBe(true);
    expect(resolvedPending.has(open.uuid)).toBe(false);
    expect(await uuids('state=resolved&status=pending')).toEqual(resolvedPending);
    expect((await uuids('state=resolved&investigation_status=completed')).has(resolved.uuid)).toBe(
      false,
    );
  });

  it('sorts the whole list on the server, so every page follows the order asked for', async () => {
    // A text of their own keeps this test's incidents apart from the others in this file.
    const tag = `sortcheck-${Math.random().toString(36).slice(2)}`;
    const severities = ['info', 'critical', 'warning', 'high', 'info', 'critical'] as const;
    for (const [index, severity] of severities.entries()) {
      const response = await host.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: admin,
        payload: { task: `${tag} ${index}`, title: `${tag} ${'fedcba'[index]}`, severity },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    const pages = async (sort: string): Promise<string[]> => {
      const seen: string[] = [];
      for (const page of [1, 2, 3]) {
        const response = await host.inject({
          method: 'GET',
          url: `/api/incidents?q=${tag}&per_page=2&page=${page}&sort=${sort}`,
          headers: viewer,
        });
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json<{ data: (Incident & { severity: string; title: string })[] }>();
        seen.push(...body.data.map((incident) => `${incident.severity} ${incident.title}`));
      }
      return seen;
    };
    // Most urgent first (this test host's clock stands still: ties fall to the id).
    const severityOf = (rows: string[]): string[] => rows.map((row) => row.split(' ')[0]!);
    expect(severityOf(await pages('severity:asc'))).toEqual([
      'critical',
      'critical',
      'high',
      'warning',
      'info',
      'info',
    ]);
    expect(severityOf(await pages('severity:desc'))).toEqual([
      'info',
      'info',
      'warning',
      'high',
      'critical',
      'critical',
    ]);
    expect((await pages('title:asc')).map((row) => row.split(' ').pop())).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
    // Age ascending is the youngest first, the list's default order.
    expect(await pages('age:asc')).toEqual(await pages(''));
  });

  it('refuses a sort it does not know, naming the keys', async () => {
    for (const sort of ['severity', 'colour:asc', 'title:up', 'title:asc:x']) {
      const response = await host.inject({
        method: 'GET',
        url: `/api/incidents?sort=${sort}`,
        headers: viewer,
      });
      expect(response.statusCode, sort).toBe(400);
      expect(response.json<{ message: string }>().message).toContain(
        'with a key of age, severity, state, investigation, title, source, alerts',
      );
    }
  });

  it('refuses an unknown state, naming the allowed ones', async () => {
    const response = await host.inject({
      method: 'GET',
      url: '/api/incidents?state=open,closed',
      headers: viewer,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'AKM_VALIDATION',
      message: 'querystring/state: "closed" is not one of open, acknowledged, resolved',
    });
  });
});

describe('the OpenAPI document', () => {
  it("describes the incident's state and its investigation's state, and the new routes' roles", async () => {
    const document = (await host.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: {
        schemas: Record<string, { properties: Record<string, Record<string, unknown>> }>;
      };
    }>();
    const incident = document.components.schemas.Incident!.properties;
    expect(incident.state).toMatchObject({ enum: ['open', 'acknowledged', 'resolved'] });
    expect(incident.investigation_status).toMatchObject({
      enum: ['pending', 'investigating', 'completed', 'failed', 'cancelled'],
    });
    expect(incident.status).toMatchObject({ deprecated: true });
    for (const action of ['acknowledge', 'resolve', 'reopen'])
      expect(document.paths[`/api/incidents/{uuid}/${action}`]?.post?.['x-akmatori-role']).toBe(
        'responder',
      );
    expect(document.paths['/api/incidents/bulk']?.post?.['x-akmatori-role']).toBe('responder');
    const list = document.paths['/api/incidents']?.get?.parameters as { name: string }[];
    expect(list.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['state', 'investigation_status', 'status']),
    );
  });

  it("lists an incident's alerts a page at a time, with their total", async () => {
    const { source, incident } = await alertIncident();
    await send(source, [
      { id: 'b', name: 'DiskFull', group: 'g' },
      { id: 'c', name: 'DiskFull', group: 'g' },
    ]);
    const page = async (query: string) =>
      host.inject({
        method: 'GET',
        url: `/api/incidents/${incident.uuid}/alerts${query}`,
        headers: admin,
      });
    await eventually(async () => expect((await page('')).json<{ total: number }>().total).toBe(3));
    const first = await page('?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json<{ data: { fingerprint: string }[]; total: number }>()).toMatchObject({
      data: [{}, {}],
      total: 3,
    });
    expect((await page('?limit=0')).statusCode).toBe(400);
    expect((await page('?limit=1001')).statusCode).toBe(400);
  });
});
