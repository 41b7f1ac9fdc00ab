import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { controlledRunnerPlugin } from './support/controlled-runner.js';
import { eventually } from './support/eventually.js';
import {
  scriptedGateways,
  scriptedRunnerPlugin,
  scriptedRuns,
  testAdapterPlugin,
} from './support/test-plugin.js';

// Several runners installed: the alert source's `runner` chooses, else the `runner` setting,
// else `codex`; an id that is not installed is refused with the installed ones named.

interface Incident {
  uuid: string;
  investigation_status: string;
  summary: string | null;
}

let host: TestHost;
let admin: Record<string, string>;

beforeAll(async () => {
  host = await startApp({
    plugins: [testAdapterPlugin(), scriptedRunnerPlugin(), controlledRunnerPlugin()],
  });
  admin = bearer(await setUpAdmin(host));
}, 120_000);

afterAll(async () => {
  await host?.close();
});

const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
  host.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) });

async function source(runner?: string): Promise<string> {
  const response = await api('POST', '/api/alert-sources', {
    source_type_name: 'test-json',
    name: `runner-${runner ?? 'default'}-${Math.random().toString(36).slice(2)}`,
    allow_unauthenticated: true,
    grouping_window_seconds: 0,
    ...(runner === undefined ? {} : { runner }),
  });
  expect(response.statusCode, response.body).toBe(201);
  expect(response.json<{ runner: string | null }>().runner).toBe(runner ?? null);
  return response.json<{ uuid: string }>().uuid;
}

async function investigated(sourceId: string, name: string): Promise<Incident> {
  const sent = await host.inject({
    method: 'POST',
    url: `/webhook/alert/${sourceId}`,
    payload: { alerts: [{ id: name, name, group: name }] },
  });
  expect(sent.statusCode, sent.body).toBe(202);
  return eventually(async () => {
    const [incident] = (await api('GET', `/api/incidents?source_uuid=${sourceId}&q=${name}`)).json<{
      data: Incident[];
    }>().data;
    expect(['completed', 'failed']).toContain(incident?.investigation_status);
    return incident!;
  }, 30_000);
}

describe('choosing the runner of an incident', () => {
  it('lists the installed runners, the built-in codex first, with codex the default', async () => {
    const response = await api('GET', '/api/settings/runner');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      default_runner: 'codex',
      installed: [
        { id: 'codex', display_name: 'OpenAI Codex (workers)' },
        { id: 'scripted', display_name: 'Scripted test runner' },
        { id: 'controlled', display_name: 'Controlled test runner' },
      ],
    });
  });

  it('refuses a runner that is not installed, on the setting and on a source, naming the installed ones', async () => {
    const setting = await api('PUT', '/api/settings/runner', { default_runner: 'claude' });
    expect(setting.statusCode).toBe(400);
    expect(setting.json()).toMatchObject({
      code: 'AKM_UNKNOWN_RUNNER',
      message: 'Unknown runner "claude"; installed runners: codex, scripted, controlled',
    });
    const created = await api('POST', '/api/alert-sources', {
      source_type_name: 'test-json',
      name: 'unknown-runner',
      allow_unauthenticated: true,
      runner: 'claude',
    });
    expect(created.statusCode).toBe(400);
    expect(created.json()).toMatchObject({ code: 'AKM_UNKNOWN_RUNNER' });
  });

  it("runs a source's incidents on the runner it names, and the others on the default runner", async () => {
    const set = await api('PUT', '/api/settings/runner', { default_runner: 'controlled' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ default_runner: 'controlled' });

    const named = await investigated(await source('scripted'), 'NamedRunnerDisk');
    expect(named.investigation_status).toBe('completed');
    expect(named.summary).toMatch(/^Root cause found for: /);
    expect(scriptedRuns.some((task) => task.incidentId === named.uuid)).toBe(true);

    const defaulted = await investigated(await source(), 'DefaultRunnerDisk');
    expect(defaulted.summary).toBe('Report 1 for DefaultRunnerDisk');
    expect(scriptedRuns.some((task) => task.incidentId === defaulted.uuid)).toBe(false);
  });

  it('gives the runner its task (instructions, incident files) and the gateway URLs and run token', async () => {
    const incident = await investigated(await source('scripted'), 'GatewayContextDisk');
    const task = scriptedRuns.find((run) => run.incidentId === incident.uuid);
    expect(task?.instructions).toContain('context/incident/incident.md');
    expect(task?.contextFiles.map((file) => file.path)).toEqual([
      'incident/incident.md',
      'incident/incident.json',
    ]);
    const gateway = scriptedGateways.get(task!.runId);
    expect(gateway?.mcpUrl).toBe(`${gateway?.url}/mcp`);
    expect(gateway?.modelUrl).toBe(`${gateway?.url}/v1`);
    // The run token is for the gateway only: the API refuses it.
    expect(gateway?.runToken).toMatch(/\S{20,}/);
    const verified = await host.inject({
      method: 'GET',
      url: '/api/incidents',
      headers: { authorization: `Bearer ${gateway?.runToken}` },
    });
    expect(verified.statusCode).toBe(401);
  });

  it('follows up on the same runner, which resumes the session it reported by id', async () => {
    const incident = await investigated(await source('scripted'), 'FollowUpDisk');
    const asked = await api('POST', `/api/incidents/${incident.uuid}/messages`, {
      text: 'Is the disk still full?',
    });
    expect(asked.statusCode, asked.body).toBe(202);
    const followUp = await eventually(() => {
      const runs = scriptedRuns.filter((run) => run.incidentId === incident.uuid);
      expect(runs).toHaveLength(2);
      return runs[1]!;
    });
    expect(followUp.prompt).toBe('Is the disk still full?');
    expect(followUp.resume).toEqual({ id: `session-${incident.uuid}` });
  });

  it('fails the run, naming the installed runners, when its source names one no longer installed', async () => {
    const sourceId = await source();
    await host.repositories.alertSources.update(sourceId, { runner: 'gone' }, new Date());
    const incident = await investigated(sourceId, 'GoneRunnerDisk');
    expect(incident.investigation_status).toBe('failed');
    expect(incident.summary).toBe(
      'Investigation failed: Unknown runner "gone"; installed runners: codex, scripted, controlled',
    );
  });
});
