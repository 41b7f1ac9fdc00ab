import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@akmatori/core';
import {
  createRepositories,
  type Database,
  type NewAlertEvent,
  openEmbedded,
  type Repositories,
} from '@akmatori/host';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InboxJournal } from '../src/ingest/journal/inbox-journal.js';
import { journalFeed } from '../src/ingest/journal/journal-feed.js';

let database: Database;
let repositories: Repositories;
let dir: string;
beforeEach(async () => {
  database = await openEmbedded();
  await database.migrate();
  repositories = createRepositories(database);
  dir = mkdtempSync(path.join(tmpdir(), 'akm-feed-'));
});
afterEach(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

async function createSource(name: string): Promise<string> {
  const source = await repositories.alertSources.create(
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

function eventsOf(sourceId: string, names: readonly string[]): NewAlertEvent[] {
  return names.map((name) => ({
    sourceId,
    receivedAt: new Date('2026-12-06T05:00:00.000Z'),
    alert: {
      name,
      status: 'firing',
      severity: 'critical',
      fingerprint: `fp-${name}`,
      groupKey: name,
      labels: { alertname: name, 'quote"and\\slash': 'ünïcode ✓' },
      annotations: { summary: `${name} is down` },
      extra: { nested: { list: [1, 2, 3] } },
    },
  }));
}

async function openJournal(): Promise<InboxJournal> {
  const { highestStored, lastIssued } = await repositories.alertEvents.idWatermarks();
  return InboxJournal.open(path.join(dir, 'inbox'), {
    drainedThrough: highestStored,
    lastIssuedId: lastIssued,
    log: silentLogger(),
  });
}

describe('the inbox journal feed into alert_events', () => {
  it('moves events in with their ids and alerts intact, for the engine to read', async () => {
    const source = await createSource('prod');
    const journal = await openJournal();
    const feed = journalFeed(journal, repositories.alertEvents, silentLogger());
    const written = eventsOf(source, ['DiskFull', 'NodeDown']);
    const ids = await journal.append(written);
    expect(feed.pending).toBe(2);

    expect(await feed.moveToTable(100)).toBe(2);
    expect(feed.pending).toBe(0);
    expect(await feed.moveToTable(100)).toBe(0);
    const stored = await database.transaction((sql) =>
      repositories.alertEvents.unprocessed(sql, 10),
    );
    expect(stored.map((event) => event.id)).toEqual(ids);
    expect(stored.map((event) => event.alert)).toEqual(written.map((event) => event.alert));
    expect(stored[0]?.sourceId).toBe(source);
    expect(stored[0]?.receivedAt.toISOString()).toBe('2026-12-06T05:00:00.000Z');
    await journal.close();
  });

  it('keeps the table sequence above the journal, so ids stay unique when the table is written directly', async () => {
    const source = await createSource('prod');
    const journal = await openJournal();
    const feed = journalFeed(journal, repositories.alertEvents, silentLogger());
    const [journaled] = await journal.append(eventsOf(source, ['A']));
    await feed.moveToTable(10);
    const [direct] = await repositories.alertEvents.append(eventsOf(source, ['B']));
    expect(direct).toBeGreaterThan(journaled!);
    await journal.close();
    // A journal opened now numbers above both.
    const reopened = await openJournal();
    const [next] = await reopened.append(eventsOf(source, ['C']));
    expect(next).toBeGreaterThan(direct!);
    await reopened.close();
  });

  it('skips events already moved when a move is repeated after a crash', async () => {
    const source = await createSource('prod');
    const journal = await openJournal();
    await journal.append(eventsOf(source, ['A', 'B']));
    const batch = await journal.read(10);
    // Moved, then the process died before the journal recorded it.
    await repositories.alertEvents.insertJournaled(batch!.json, batch!.lastId);
    await journal.close();

    const reopened = await InboxJournal.open(path.join(dir, 'inbox'), {
      drainedThrough: 0,
      lastIssuedId: 0,
      log: silentLogger(),
    });
    const feed = journalFeed(reopened, repositories.alertEvents, silentLogger());
    expect(await feed.moveToTable(10)).toBe(2);
    const count = await database.executeSql<{ n: number }>(
      'select count(*)::int as n from alert_events',
    );
    expect(count.rows[0]?.n).toBe(2);
    await reopened.close();
  });

  it('drops the events of a source deleted while they waited, and moves the others', async () => {
    const kept = await createSource('kept');
    const deleted = await createSource('deleted');
    const journal = await openJournal();
    const feed = journalFeed(journal, repositories.alertEvents, silentLogger());
    await journal.append(eventsOf(deleted, ['Gone']));
    const [keptId] = await journal.append(eventsOf(kept, ['Stays']));
    await repositories.alertSources.delete(deleted);

    while ((await feed.moveToTable(10)) > 0);
    const rows = await database.executeSql<{ id: number }>('select id from alert_events');
    expect(rows.rows.map((row) => Number(row.id))).toEqual([keptId]);
    await journal.close();
  });
});
