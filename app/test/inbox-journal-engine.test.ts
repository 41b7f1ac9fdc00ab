import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type NewAlertEvent, openEmbedded } from '@akmatori/host';
import { createTestHost, type TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AppTokens, resolve } from '../src/app-tokens.js';
import { createApp, type AkmatoriApp } from '../src/index.js';

const dirs: string[] = [];
let host: TestHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function eventsOf(sourceId: string, count: number, name: string): NewAlertEvent[] {
  return Array.from({ length: count }, (_, k) => ({
    sourceId,
    receivedAt: new Date(),
    alert: {
      name,
      status: 'firing' as const,
      severity: 'warning' as const,
      fingerprint: `${name}-${k}`,
      groupKey: name,
      labels: { alertname: name, instance: `host-${k}` },
      annotations: {},
      extra: {},
    },
  }));
}

async function createSource(name: string): Promise<string> {
  const source = await host!.repositories.alertSources.create(
    {
      sourceType: 'alertmanager',
      name,
      webhookSecretSealed: null,
      allowUnauthenticated: true,
      fieldMappings: {},
      config: {},
      groupBy: [],
      groupingWindowSeconds: 30,
      enabled: true,
    },
    new Date(),
  );
  return source.id;
}

describe('the incident engine on the embedded default, with the inbox journal', () => {
  it('gets past journaled alerts of a deleted source to the alerts waiting behind them', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-journal-engine-'));
    dirs.push(dataDir);
    let app: AkmatoriApp | undefined;
    host = await createTestHost({
      database: await openEmbedded({ dataDir }),
      app: async (boot) => (app = await createApp(boot)),
    });
    const engine = resolve(app!.container, AppTokens.IncidentEngine);
    const journal = resolve(app!.container, AppTokens.InboxJournal);
    expect(journal, 'the embedded database on disk has a journal').toBeDefined();
    // Only drain() applies events from here on.
    await engine.stop();

    const deleted = await createSource('deleted');
    const kept = await createSource('kept');
    // More than one batch (2000 events) of a source deleted before the engine got to them.
    for (let frame = 0; frame < 3; frame++) await journal!.append(eventsOf(deleted, 1000, 'Gone'));
    await host.repositories.alertSources.delete(deleted);
    await journal!.append(eventsOf(kept, 1, 'StillHere'));

    await engine.drain();
    const incidents = await host.database.executeSql<{ title: string }>(
      'select title from incidents',
    );
    expect(incidents.rows.map((row) => row.title)).toEqual(['StillHere']);
    expect(journal!.pending).toBe(0);
  }, 60_000);
});
