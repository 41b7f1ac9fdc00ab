import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openEmbedded } from '@akmatori/host';
import type { TestHost } from '@akmatori/host/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '@akmatori/test-support/databases';
import { bearer, setUpAdmin, startApp } from './helpers.js';
import { eventually } from './support/eventually.js';
import { testAdapterPlugin } from './support/test-plugin.js';

const ALERTS = 10_000;
const PER_REQUEST = 100;
const databases: Database[] = [];
const dataDirs: string[] = [];
afterAll(async () => {
  await Promise.all(databases.map((db) => db.close()));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * The database for a backend. `embedded-on-disk` is the default a user runs: PGlite in a data
 * directory, where the webhook answers once alerts are in the inbox journal beside it.
 */
async function openDatabase(
  backend: 'embedded' | 'embedded-on-disk' | 'postgres',
): Promise<{ database: Database; dataDir?: string }> {
  if (backend !== 'embedded-on-disk') return { database: await openTestDatabase(backend) };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-storm-'));
  dataDirs.push(dataDir);
  const database = await openEmbedded({ dataDir });
  return { database, dataDir };
}

describe.each(['embedded', 'embedded-on-disk', 'postgres'] as const)(
  'an alert storm on the %s backend',
  (backend) => {
    it(`turns ${ALERTS} distinct alerts of one group into 1 incident, 1 queued investigation and ${ALERTS} stored alerts`, async () => {
      const { database, dataDir } = await openDatabase(backend);
      databases.push(database);
      const host: TestHost = await startApp({ database, plugins: [testAdapterPlugin()] });
      try {
        const admin = bearer(await setUpAdmin(host));
        const source = (
          await host.inject({
            method: 'POST',
            url: '/api/alert-sources',
            headers: admin,
            payload: { source_type_name: 'test-json', name: 'storm', allow_unauthenticated: true },
          })
        ).json<{ uuid: string }>();

        const requests = Array.from({ length: ALERTS / PER_REQUEST }, (_, r) =>
          host.inject({
            method: 'POST',
            url: `/webhook/alert/${source.uuid}`,
            payload: {
              alerts: Array.from({ length: PER_REQUEST }, (_, i) => ({
                id: `node-${r}-${i}`,
                name: 'NodeDown',
                group: 'datacenter-1',
                host: `node-${r}-${i}`,
              })),
            },
          }),
        );
        const answers = await Promise.all(requests);
        expect(answers.every((answer) => answer.statusCode === 202)).toBe(true);
        const ids = answers.flatMap((answer) => answer.json<{ alerts: number[] }>().alerts);
        expect(new Set(ids).size).toBe(ALERTS);

        const incident = await eventually(async () => {
          const page = (
            await host.inject({ method: 'GET', url: '/api/incidents', headers: admin })
          ).json<{ data: Record<string, unknown>[]; pagination: { total: number } }>();
          expect(page.data[0]?.alert_count).toBe(ALERTS);
          return page;
        }, 60_000);
        expect(incident.pagination.total).toBe(1);
        expect(incident.data[0]).toMatchObject({
          firing_count: ALERTS,
          group_key: 'datacenter-1',
          status: 'pending',
        });
        const counts = await database.executeSql<{ alerts: number; pending: number; jobs: number }>(
          `select (select count(*)::int from alerts) as alerts,
                (select count(*)::int from alert_events where processed_at is null) as pending,
                (select count(*)::int from pgboss.job where name = 'investigation') as jobs`,
        );
        expect(counts.rows[0]).toEqual({ alerts: ALERTS, pending: 0, jobs: 1 });
        if (dataDir !== undefined) {
          // They went through the journal, and it was emptied into the table as they were applied.
          const stored = await database.executeSql<{ n: number }>(
            'select count(*)::int as n from alert_events',
          );
          expect(stored.rows[0]?.n).toBe(ALERTS);
          expect(readdirSync(path.join(dataDir, 'inbox')).length).toBeLessThanOrEqual(1);
        }
      } finally {
        await host.close();
      }
    }, 120_000);
  },
);
