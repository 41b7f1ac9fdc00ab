import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { controlledRunnerPlugin } from './support/controlled-runner.js';
import { eventually } from './support/eventually.js';

interface Incident {
  uuid: string;
  state: string;
  investigation_status: string;
}

interface BulkAnswer {
  action: string;
  results: {
    uuid: string;
    outcome: 'done' | 'unchanged' | 'refused';
    incident: Incident | null;
    error: { statusCode: number; code: string; message: string } | null;
  }[];
  done: number;
  unchanged: number;
  refused: number;
}

const MISSING = '00000000-0000-4000-8000-000000000000';

let host: TestHost;
let admin: Record<string, string>;

beforeAll(async () => {
  host = await startApp({ plugins: [controlledRunnerPlugin()], runner: 'controlled' });
  admin = bearer(await setUpAdmin(host));
}, 120_000);

afterAll(async () => {
  await host?.close();
});

async function manual(title: string): Promise<Incident> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: admin,
    payload: { task: 'check the disk', title },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Incident>();
}

async function until(uuid: string, status: string): Promise<void> {
  await eventually(async () => {
    const incident = (
      await host.inject({ method: 'GET', url: `/api/incidents/${uuid}`, headers: admin })
    ).json<Incident>();
    expect(incident.investigation_status).toBe(status);
  }, 30_000);
}

const bulk = (payload: Record<string, unknown>, headers = admin) =>
  host.inject({ method: 'POST', url: '/api/incidents/bulk', headers, payload });

const byId = (answer: BulkAnswer) => new Map(answer.results.map((result) => [result.uuid, result]));

describe('POST /api/incidents/bulk', () => {
  it('resolves a selection in one request, telling per incident what happened', async () => {
    const [a, b, c] = [await manual('A'), await manual('B'), await manual('C')];
    await host.inject({ method: 'POST', url: `/api/incidents/${c.uuid}/resolve`, headers: admin });
    const response = await bulk({ ids: [a.uuid, b.uuid, c.uuid, MISSING], action: 'resolve' });
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json<BulkAnswer>();
    expect(answer).toMatchObject({ action: 'resolve', done: 2, unchanged: 1, refused: 1 });
    const results = byId(answer);
    expect(results.get(a.uuid)).toMatchObject({
      outcome: 'done',
      incident: { state: 'resolved' },
      error: null,
    });
    expect(results.get(b.uuid)?.outcome).toBe('done');
    expect(results.get(c.uuid)).toMatchObject({
      outcome: 'unchanged',
      incident: { state: 'resolved' },
    });
    expect(results.get(MISSING)).toMatchObject({
      outcome: 'refused',
      incident: null,
      error: { statusCode: 404, code: 'AKM_NOT_FOUND' },
    });
    expect(answer.results.map((result) => result.uuid)).toEqual([a.uuid, b.uuid, c.uuid, MISSING]);
  });

  it('acknowledges what it can and reports the conflict of a resolved incident', async () => {
    const [open, resolved] = [await manual('Open'), await manual('Resolved')];
    await bulk({ ids: [resolved.uuid], action: 'resolve' });
    const answer = (
      await bulk({ ids: [open.uuid, resolved.uuid], action: 'acknowledge' })
    ).json<BulkAnswer>();
    expect(byId(answer).get(open.uuid)).toMatchObject({
      outcome: 'done',
      incident: { state: 'acknowledged' },
    });
    expect(byId(answer).get(resolved.uuid)).toMatchObject({
      outcome: 'refused',
      incident: { state: 'resolved' },
      error: { statusCode: 409, code: 'AKM_INCIDENT_STATE_CONFLICT' },
    });
    const reopened = (await bulk({ ids: [resolved.uuid], action: 'reopen' })).json<BulkAnswer>();
    expect(reopened.results[0]).toMatchObject({ outcome: 'done', incident: { state: 'open' } });
  });

  it('investigates failed incidents again, and refuses one whose investigation is going', async () => {
    const [first, second] = [await manual('FailFirst one'), await manual('FailFirst two')];
    await until(first.uuid, 'failed');
    await until(second.uuid, 'failed');
    const hanging = await manual('Hang on');
    await until(hanging.uuid, 'investigating');
    const answer = (
      await bulk({ ids: [first.uuid, second.uuid, hanging.uuid], action: 'investigate' })
    ).json<BulkAnswer>();
    expect(answer).toMatchObject({ done: 2, refused: 1 });
    expect(byId(answer).get(first.uuid)).toMatchObject({
      outcome: 'done',
      incident: { investigation_status: 'pending' },
    });
    expect(byId(answer).get(hanging.uuid)?.error?.code).toBe('AKM_INCIDENT_BUSY');
    await until(first.uuid, 'completed');
    await until(second.uuid, 'completed');

    const cancelled = (
      await bulk({ ids: [hanging.uuid, first.uuid], action: 'cancel' })
    ).json<BulkAnswer>();
    expect(byId(cancelled).get(hanging.uuid)).toMatchObject({
      outcome: 'done',
      incident: { investigation_status: 'cancelled' },
    });
    expect(byId(cancelled).get(first.uuid)).toMatchObject({
      outcome: 'refused',
      error: { statusCode: 409, code: 'AKM_INCIDENT_NOT_RUNNING' },
    });
  });

  it('refuses a whole request with an unknown skill for investigate', async () => {
    const incident = await manual('Skills');
    const response = await bulk({ ids: [incident.uuid], action: 'investigate', skills: ['nope'] });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ code: string }>().code).toBe('AKM_UNKNOWN_SKILL');
  });

  it('validates the request: ids (1 to 200, unique uuids) and a known action', async () => {
    const incident = await manual('Valid');
    for (const payload of [
      { ids: [], action: 'resolve' },
      { ids: [incident.uuid, incident.uuid], action: 'resolve' },
      { ids: ['not-a-uuid'], action: 'resolve' },
      {
        ids: Array.from(
          { length: 201 },
          (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        ),
        action: 'resolve',
      },
      { ids: [incident.uuid], action: 'delete' },
    ]) {
      const response = await bulk(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(response.json<{ code: string }>().code).toBe('AKM_VALIDATION');
    }
  });

  it('needs the responder role, and the operator audit records which incidents it acted on', async () => {
    const password = 'a long enough password';
    await host.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { username: 'vera', password, role: 'viewer' },
    });
    const viewer = bearer(
      (
        await host.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { username: 'vera', password },
        })
      ).json<{ token: string }>().token,
    );
    const incident = await manual('Audited');
    expect((await bulk({ ids: [incident.uuid], action: 'resolve' }, viewer)).statusCode).toBe(403);
    expect((await bulk({ ids: [incident.uuid], action: 'resolve' })).statusCode).toBe(200);
    const audit = await eventually(async () => {
      const entries = (
        await host.inject({ method: 'GET', url: '/api/audit', headers: admin })
      ).json<{ data: { action: string; target: Record<string, unknown> }[] }>().data;
      const entry = entries.find((e) => e.action === 'POST /api/incidents/bulk');
      expect(entry).toBeDefined();
      return entry!;
    });
    expect(audit.target).toEqual({ ids: [incident.uuid], action: 'resolve' });
  });
});
