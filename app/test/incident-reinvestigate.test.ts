import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { controlledRunnerPlugin } from './support/controlled-runner.js';
import { eventually } from './support/eventually.js';
import { testAdapterPlugin } from './support/test-plugin.js';

interface Incident {
  uuid: string;
  state: string;
  investigation_status: string;
  summary: string | null;
}

let host: TestHost;
let admin: Record<string, string>;

beforeAll(async () => {
  host = await startApp({
    plugins: [testAdapterPlugin(), controlledRunnerPlugin()],
    runner: 'controlled',
  });
  admin = bearer(await setUpAdmin(host));
}, 120_000);

afterAll(async () => {
  await host?.close();
});

const get = async (uuid: string): Promise<Incident> =>
  (await host.inject({ method: 'GET', url: `/api/incidents/${uuid}`, headers: admin })).json();

const investigate = (uuid: string) =>
  host.inject({ method: 'POST', url: `/api/incidents/${uuid}/investigate`, headers: admin });

const runsOf = async (uuid: string): Promise<{ status: string; error: string | null }[]> =>
  (await host.inject({ method: 'GET', url: `/api/incidents/${uuid}/runs`, headers: admin })).json<{
    data: { status: string; error: string | null }[];
  }>().data;

async function untilStatus(uuid: string, status: string): Promise<Incident> {
  return eventually(async () => {
    const incident = await get(uuid);
    expect(incident.investigation_status).toBe(status);
    return incident;
  }, 30_000);
}

async function sourceWithWindow(seconds: number): Promise<string> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/alert-sources',
    headers: admin,
    payload: {
      source_type_name: 'test-json',
      name: `window-${seconds}-${Math.random().toString(36).slice(2)}`,
      allow_unauthenticated: true,
      grouping_window_seconds: seconds,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ uuid: string }>().uuid;
}

async function alertIncident(source: string, name: string): Promise<Incident> {
  const sent = await host.inject({
    method: 'POST',
    url: `/webhook/alert/${source}`,
    payload: { alerts: [{ id: name, name, group: name }] },
  });
  expect(sent.statusCode, sent.body).toBe(202);
  return eventually(async () => {
    const listed = (
      await host.inject({
        method: 'GET',
        url: `/api/incidents?source_uuid=${source}&q=${name}`,
        headers: admin,
      })
    ).json<{ data: Incident[] }>().data;
    expect(listed).toHaveLength(1);
    return listed[0]!;
  });
}

describe('POST /api/incidents/{uuid}/investigate', () => {
  it('investigates again an incident whose first run failed, and the new run completes', async () => {
    const source = await sourceWithWindow(0);
    const incident = await alertIncident(source, 'FailFirstDisk');
    const failed = await untilStatus(incident.uuid, 'failed');
    expect(failed.summary).toBe('Investigation failed: the model could not be reached');

    const again = await investigate(incident.uuid);
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json()).toMatchObject({
      status: 'queued',
      incident: { uuid: incident.uuid, investigation_status: 'pending', state: 'open' },
    });
    const completed = await untilStatus(incident.uuid, 'completed');
    expect(completed.summary).toBe('Report 2 for FailFirstDisk');
    expect((await runsOf(incident.uuid)).map((run) => run.status)).toEqual(['failed', 'completed']);
  });

  it('investigates again a completed incident', async () => {
    const source = await sourceWithWindow(0);
    const incident = await alertIncident(source, 'CompletedDisk');
    await untilStatus(incident.uuid, 'completed');
    expect((await investigate(incident.uuid)).statusCode).toBe(202);
    await eventually(async () =>
      expect((await runsOf(incident.uuid)).map((run) => run.status)).toEqual([
        'completed',
        'completed',
      ]),
    );
  });

  it('investigates a cancelled incident, even one cancelled while it waited for its grouping window', async () => {
    const source = await sourceWithWindow(3600);
    const incident = await alertIncident(source, 'CancelledWhileWaiting');
    expect(incident.investigation_status).toBe('pending');
    const busy = await investigate(incident.uuid);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({
      code: 'AKM_INCIDENT_BUSY',
      message: `Incident ${incident.uuid} is pending: its investigation is queued: wait for its run to finish`,
    });
    const cancelled = await host.inject({
      method: 'POST',
      url: `/api/incidents/${incident.uuid}/cancel`,
      headers: admin,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await get(incident.uuid)).investigation_status).toBe('cancelled');

    expect((await investigate(incident.uuid)).statusCode).toBe(202);
    const completed = await untilStatus(incident.uuid, 'completed');
    expect(completed.summary).toBe('Report 1 for CancelledWhileWaiting');
  });

  it('refuses while the investigation runs, and takes it again once cancelled', async () => {
    const source = await sourceWithWindow(0);
    const incident = await alertIncident(source, 'HangForever');
    await untilStatus(incident.uuid, 'investigating');
    const busy = await investigate(incident.uuid);
    expect(busy.statusCode).toBe(409);
    expect(busy.json<{ code: string }>().code).toBe('AKM_INCIDENT_BUSY');

    const cancelled = await host.inject({
      method: 'POST',
      url: `/api/incidents/${incident.uuid}/cancel`,
      headers: admin,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // The run's job ends once the runner has stopped; then a new investigation is taken.
    const queued = await eventually(async () => {
      const again = await investigate(incident.uuid);
      expect(again.statusCode, again.body).toBe(202);
      return again;
    });
    expect(queued.json()).toMatchObject({ incident: { investigation_status: 'pending' } });
    await untilStatus(incident.uuid, 'investigating');
    await host.inject({
      method: 'POST',
      url: `/api/incidents/${incident.uuid}/cancel`,
      headers: admin,
    });
  });

  it('takes an incident left investigating with no job or run going (the API stopped mid-run)', async () => {
    const source = await sourceWithWindow(0);
    const incident = await alertIncident(source, 'LeftBehind');
    await untilStatus(incident.uuid, 'completed');
    // As a crash leaves it: the incident investigating, its run still marked running, no job.
    await host.database.executeSql("update incidents set status = 'investigating' where id = $1", [
      incident.uuid,
    ]);
    await host.database.executeSql(
      "update runs set status = 'running', finished_at = null, created_at = now() - interval '1 hour' where incident_id = $1",
      [incident.uuid],
    );
    const again = await investigate(incident.uuid);
    expect(again.statusCode, again.body).toBe(202);
    await untilStatus(incident.uuid, 'completed');
    const runs = await runsOf(incident.uuid);
    expect(runs.map((run) => run.status)).toEqual(['failed', 'completed']);
    expect(runs[0]?.error).toMatch(/^lost: no job was carrying the run/);
  });

  it('answers 404 for an incident that does not exist', async () => {
    const missing = await investigate('00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
  });
});
