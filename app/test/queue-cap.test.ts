import type { TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { eventually } from './support/eventually.js';
import { testAdapterPlugin } from './support/test-plugin.js';

const hosts: TestHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function boot(): Promise<{ host: TestHost; admin: Record<string, string> }> {
  const host = await startApp({ plugins: [testAdapterPlugin()] });
  hosts.push(host);
  return { host, admin: bearer(await setUpAdmin(host)) };
}

type Incident = { id: string; status: string; summary: string | null; source_id?: string };

describe('budget settings', () => {
  it('shows the defaults until set, takes defaults for fields left out, and refuses negative limits', async () => {
    const { host, admin } = await boot();
    const initial = await host.inject({
      method: 'GET',
      url: '/api/settings/budgets',
      headers: admin,
    });
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toEqual({
      per_run: { max_tokens: 2_000_000, max_cost_usd: 5 },
      per_incident: { max_tokens: 6_000_000, max_cost_usd: 15 },
      per_source_per_day: { max_tokens: 20_000_000, max_cost_usd: 50 },
      per_day: { max_tokens: 50_000_000, max_cost_usd: 150 },
      max_queued_investigations_per_source: 20,
    });
    const put = await host.inject({
      method: 'PUT',
      url: '/api/settings/budgets',
      headers: admin,
      payload: { per_run: { max_tokens: 1000, max_cost_usd: null }, per_day: { max_cost_usd: 20 } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      per_run: { max_tokens: 1000, max_cost_usd: null },
      per_day: { max_tokens: 50_000_000, max_cost_usd: 20 },
      max_queued_investigations_per_source: 20,
    });
    const bad = await host.inject({
      method: 'PUT',
      url: '/api/settings/budgets',
      headers: admin,
      payload: { per_run: { max_tokens: -1 } },
    });
    expect(bad.statusCode).toBe(400);
    const unauthenticated = await host.inject({ method: 'GET', url: '/api/settings/budgets' });
    expect(unauthenticated.statusCode).toBe(401);
  }, 60_000);
});

describe('the cap on queued investigations per alert source', () => {
  it('stores every incident of a storm of distinct groups but queues at most the cap per source; the rest can be investigated by hand', async () => {
    const { host, admin } = await boot();
    await host.inject({
      method: 'PUT',
      url: '/api/settings/budgets',
      headers: admin,
      payload: { max_queued_investigations_per_source: 5 },
    });
    const createSource = async (name: string): Promise<string> =>
      (
        await host.inject({
          method: 'POST',
          url: '/api/alert-sources',
          headers: admin,
          payload: { source_type_name: 'test-json', name, allow_unauthenticated: true },
        })
      ).json<{ uuid: string }>().uuid;
    const noisy = await createSource('noisy');
    const quiet = await createSource('quiet');
    const storm = (source: string, groups: number, prefix: string) =>
      host.inject({
        method: 'POST',
        url: `/webhook/alert/${source}`,
        payload: {
          alerts: Array.from({ length: groups }, (_, i) => ({
            id: `${prefix}-${i}`,
            name: 'NodeDown',
            group: `${prefix}-group-${i}`,
            host: `${prefix}-${i}`,
          })),
        },
      });
    expect((await storm(noisy, 200, 'a')).statusCode).toBe(202);
    expect((await storm(quiet, 3, 'b')).statusCode).toBe(202);

    const list = async (): Promise<Incident[]> =>
      (
        await host.database.executeSql<Incident>(
          'select id, status, summary, source_id from incidents order by created_at',
        )
      ).rows;
    const incidents = await eventually(async () => {
      const all = await list();
      expect(all).toHaveLength(203);
      return all;
    }, 30_000);
    const heldBack = incidents.filter((incident) => incident.status === 'failed');
    expect(incidents.filter((incident) => incident.status === 'pending')).toHaveLength(8);
    expect(heldBack).toHaveLength(195);
    expect(heldBack[0]!.summary).toMatch(
      /^Not investigated: its alert source already had 5 investigations waiting to start/,
    );
    const jobs = async (): Promise<number> =>
      (
        await host.database.executeSql<{ jobs: number }>(
          "select count(*)::int as jobs from pgboss.job where name = 'investigation'",
        )
      ).rows[0]!.jobs;
    expect(await jobs()).toBe(8);

    // A later wave from the full source is held back too; the alerts are still stored.
    expect((await storm(noisy, 10, 'c')).statusCode).toBe(202);
    await eventually(async () => expect(await list()).toHaveLength(213), 30_000);
    expect(await jobs()).toBe(8);

    const again = await host.inject({
      method: 'POST',
      url: `/api/incidents/${heldBack[0]!.id}/investigate`,
      headers: admin,
    });
    expect(again.statusCode).toBe(202);
    expect(await jobs()).toBe(9);
    const pending = incidents.find((incident) => incident.status === 'pending')!;
    const busy = await host.inject({
      method: 'POST',
      url: `/api/incidents/${pending.id}/investigate`,
      headers: admin,
    });
    expect(busy.statusCode).toBe(409);
  }, 60_000);
});
