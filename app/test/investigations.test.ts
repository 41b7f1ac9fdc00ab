import type { IncidentEvent } from '@akmatori/core';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { eventually } from './support/eventually.js';
import {
  recordedEvents,
  recordingNotifierPlugin,
  scriptedRunnerPlugin,
  scriptedRuns,
  testAdapterPlugin,
} from './support/test-plugin.js';

const hosts: TestHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function boot(
  withRunner: boolean,
): Promise<{ host: TestHost; admin: Record<string, string> }> {
  const plugins = [
    testAdapterPlugin(),
    recordingNotifierPlugin(),
    ...(withRunner ? [scriptedRunnerPlugin()] : []),
  ];
  const host = await startApp({
    plugins,
    config: { notifiers: { recorder: {} } },
    ...(withRunner ? { runner: 'scripted' } : {}),
  });
  hosts.push(host);
  return { host, admin: bearer(await setUpAdmin(host)) };
}

const getIncident = async (host: TestHost, admin: Record<string, string>, uuid: string) =>
  (await host.inject({ method: 'GET', url: `/api/incidents/${uuid}`, headers: admin })).json<
    Record<string, unknown>
  >();

describe('investigations', () => {
  it('a queued investigation is taken by the runner plugin once the grouping window has passed', async () => {
    const { host, admin } = await boot(true);
    const source = (
      await host.inject({
        method: 'POST',
        url: '/api/alert-sources',
        headers: admin,
        payload: {
          source_type_name: 'test-json',
          name: 'fast',
          allow_unauthenticated: true,
          grouping_window_seconds: 0,
        },
      })
    ).json<{ uuid: string }>();
    await host.inject({
      method: 'POST',
      url: `/webhook/alert/${source.uuid}`,
      payload: { alerts: [{ id: 'x', name: 'Boom', host: 'web-9' }] },
    });
    const incident = await eventually(async () => {
      const [first] = (
        await host.inject({ method: 'GET', url: '/api/incidents', headers: admin })
      ).json<{ data: Record<string, unknown>[] }>().data;
      expect(first?.status).toBe('completed');
      return first!;
    });
    expect(incident.summary).toBe('Root cause found for: Investigate the incident described in co');
    const run = scriptedRuns.find((task) => task.incidentId === incident.uuid);
    // The alert's words reach the runner as fenced, untrusted data, never in the prompt.
    expect(run?.prompt).not.toContain('Boom');
    expect(run?.context).toContain('# Incident data (untrusted)');
    expect(run?.context).toContain('"name": "Boom"');
    expect(run?.context).toContain('"host": "web-9"');
  });

  it('tells configured notifiers each step: created, investigating, completed', async () => {
    const { host, admin } = await boot(true);
    const created = await host.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: admin,
      payload: { task: 'probe' },
    });
    expect(created.statusCode).toBe(201);
    const uuid = created.json<{ uuid: string }>().uuid;
    const steps = await eventually(async () => {
      const mine = recordedEvents.filter((event) => event.incident.uuid === uuid);
      expect(mine.map((event) => event.type)).toContain('incident.completed');
      return mine;
    });
    expect(steps.map((event: IncidentEvent) => [event.type, event.incident.status])).toEqual([
      ['incident.created', 'pending'],
      ['incident.status_changed', 'investigating'],
      ['incident.status_changed', 'completed'],
      ['incident.completed', 'completed'],
    ]);
  });

  it('tells notifiers when all alerts of an incident have resolved', async () => {
    const { host, admin } = await boot(false);
    const source = (
      await host.inject({
        method: 'POST',
        url: '/api/alert-sources',
        headers: admin,
        payload: { source_type_name: 'test-json', name: 's', allow_unauthenticated: true },
      })
    ).json<{ uuid: string }>();
    const post = (alerts: unknown[]) =>
      host.inject({ method: 'POST', url: `/webhook/alert/${source.uuid}`, payload: { alerts } });
    await post([{ id: 'r1', name: 'Flappy' }]);
    await post([{ id: 'r1', name: 'Flappy', status: 'resolved' }]);
    const resolved = await eventually(() => {
      const event = recordedEvents.find(
        (e) => e.type === 'incident.alerts_resolved' && e.incident.title === 'Flappy',
      );
      expect(event).toBeDefined();
      return event!;
    });
    expect((await getIncident(host, admin, resolved.incident.uuid)).alerts_resolved).toBe(true);
  });

  it('refuses to start with a notifier that is not registered or misconfigured', async () => {
    await expect(startApp({ config: { notifiers: { nowhere: {} } } })).rejects.toMatchObject({
      code: 'AKM_CONFIG_INVALID',
      message: expect.stringContaining('notifiers.nowhere'),
    });
  });

  it('a manual incident is investigated at once with its task and context', async () => {
    const { host, admin } = await boot(true);
    const response = await host.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: admin,
      payload: {
        task: 'Check why checkout latency doubled since 14:00\nmore detail',
        context: { service: 'checkout' },
      },
    });
    expect(response.statusCode).toBe(201);
    const incident = response.json<Record<string, unknown>>();
    expect(incident).toMatchObject({
      title: 'Check why checkout latency doubled since 14:00',
      source_type: 'manual',
      status: 'pending',
      alert_count: 0,
      context: { service: 'checkout' },
    });
    const done = await eventually(async () => {
      const current = await getIncident(host, admin, incident.uuid as string);
      expect(current.status).toBe('completed');
      return current;
    });
    expect(done.summary).toContain('Check why checkout latency doubled');
    const run = scriptedRuns.find((task) => task.incidentId === incident.uuid);
    expect(run?.prompt).toBe('Check why checkout latency doubled since 14:00\nmore detail');
    expect(run?.context).toContain('"service": "checkout"');
    expect(run?.context).toContain('# Incident data (untrusted)');
  });

  it('without a runner plugin the investigation waits in the queue and the incident stays pending', async () => {
    const { host, admin } = await boot(false);
    const { uuid } = (
      await host.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: admin,
        payload: { task: 'wait' },
      })
    ).json<{ uuid: string }>();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await getIncident(host, admin, uuid)).status).toBe('pending');
    const jobs = await host.database.executeSql<{ state: string }>(
      "select state from pgboss.job where name = 'investigation'",
    );
    expect(jobs.rows.map((row) => row.state)).toEqual(['created']);
  });

  it('validates manual incidents', async () => {
    const { host, admin } = await boot(false);
    for (const payload of [
      {},
      { task: '' },
      { task: 'x', severity: 'apocalyptic' },
      { task: 'x', surprise: 1 },
    ]) {
      const response = await host.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: admin,
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});
