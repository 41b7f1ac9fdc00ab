import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@akmatori/core';
import type { NewAlertEvent } from '@akmatori/host';
import { afterEach, describe, expect, it } from 'vitest';
import { InboxJournal, type InboxJournalOptions } from '../src/ingest/journal/inbox-journal.js';
import { capturedLogger } from './helpers.js';

const dirs: string[] = [];
const journals: InboxJournal[] = [];
afterEach(async () => {
  for (const journal of journals.splice(0)) await journal.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'akm-journal-'));
  dirs.push(dir);
  return path.join(dir, 'inbox');
}

/** A logger whose lines the test can read. */
function recordingLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const { log, text } = capturedLogger();
  return {
    log,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

async function openJournal(
  dir: string,
  options: Partial<InboxJournalOptions> = {},
): Promise<InboxJournal> {
  const journal = await InboxJournal.open(dir, {
    drainedThrough: 0,
    lastIssuedId: 0,
    log: recordingLogger().log,
    ...options,
  });
  journals.push(journal);
  return journal;
}

const SOURCE = '7f0c3b7e-1111-4c2a-9d9e-0123456789ab';

function events(names: readonly string[]): NewAlertEvent[] {
  return names.map((name) => ({
    sourceId: SOURCE,
    receivedAt: new Date('2026-12-06T05:00:00.000Z'),
    alert: {
      name,
      status: 'firing',
      severity: 'warning',
      fingerprint: `fp-${name}`,
      groupKey: name,
      labels: { alertname: name },
      annotations: {},
      extra: {},
    },
  }));
}

type Row = { i: number; s: string; r: string; a: { name: string } };

/** Reads everything waiting, advancing as a feed would; returns the events read. */
async function drainAll(journal: InboxJournal, perRead = 1000): Promise<Row[]> {
  const rows: Row[] = [];
  for (;;) {
    const batch = await journal.read(perRead);
    if (batch === undefined) return rows;
    const read = JSON.parse(batch.json) as Row[];
    expect(read).toHaveLength(batch.count);
    expect(batch.lastId).toBe(read.at(-1)?.i);
    rows.push(...read);
    await journal.advance(batch);
  }
}

const segmentsIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.journal'))
    .sort();

describe('InboxJournal', () => {
  it('answers each append with new ids above every id the database issued, in order', async () => {
    const journal = await openJournal(tempDir(), { drainedThrough: 40, lastIssuedId: 41 });
    expect(await journal.append(events(['a', 'b']))).toEqual([42, 43]);
    const [first, second] = await Promise.all([
      journal.append(events(['c'])),
      journal.append(events(['d', 'e'])),
    ]);
    expect([first, second]).toEqual([[44], [45, 46]]);
    expect(journal.pending).toBe(5);
  });

  it('hands the events back in id order, as JSON the inbox table takes, until none wait', async () => {
    const journal = await openJournal(tempDir());
    await journal.append(events(['a', 'b']));
    await journal.append(events(['c']));
    const rows = await drainAll(journal);
    expect(rows.map((row) => [row.i, row.a.name, row.s, row.r])).toEqual([
      [1, 'a', SOURCE, '2026-12-06T05:00:00.000Z'],
      [2, 'b', SOURCE, '2026-12-06T05:00:00.000Z'],
      [3, 'c', SOURCE, '2026-12-06T05:00:00.000Z'],
    ]);
    expect(journal.pending).toBe(0);
    expect(await journal.read(10)).toBeUndefined();
  });

  it('reads whole writes: at most about the number of events asked for, never part of one', async () => {
    const journal = await openJournal(tempDir());
    await journal.append(events(['a', 'b', 'c']));
    await journal.append(events(['d', 'e', 'f']));
    const batch = await journal.read(2);
    expect(batch?.count).toBe(3);
    await journal.advance(batch!);
    expect((await journal.read(100))?.count).toBe(3);
  });

  it('keeps what was acknowledged across a restart, and goes on numbering above it', async () => {
    const dir = tempDir();
    const before = await openJournal(dir);
    await before.append(events(['a', 'b']));
    await before.append(events(['c']));
    await before.close();

    const after = await openJournal(dir);
    expect(after.pending).toBe(3);
    expect(await after.append(events(['d']))).toEqual([4]);
    expect((await drainAll(after)).map((row) => row.a.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('resumes after what the table already holds and deletes segments moved in full', async () => {
    const dir = tempDir();
    const before = await openJournal(dir, { segmentBytes: 1 });
    for (const name of ['a', 'b', 'c']) await before.append(events([name]));
    await before.close();
    expect(segmentsIn(dir)).toHaveLength(3);

    // The first two reached the table before the stop.
    const after = await openJournal(dir, { drainedThrough: 2, lastIssuedId: 2 });
    expect(segmentsIn(dir)).toHaveLength(1);
    expect(after.pending).toBe(1);
    expect((await drainAll(after)).map((row) => row.i)).toEqual([3]);
  });

  it('cuts off a write torn by a crash, keeping the acknowledged ones before it', async () => {
    const dir = tempDir();
    const before = await openJournal(dir);
    await before.append(events(['a']));
    await before.append(events(['b']));
    await before.close();
    const [segment] = segmentsIn(dir);
    const file = path.join(dir, segment!);
    const intact = statSync(file).size;
    // Half a frame: a header promising more bytes than follow.
    const torn = Buffer.alloc(30);
    torn.writeUInt32LE(5000, 0);
    appendFileSync(file, torn);

    const { log, lines } = recordingLogger();
    const after = await openJournal(dir, { log });
    expect(statSync(file).size).toBe(intact);
    expect(lines().map((line) => line.msg)).toContain(
      'inbox journal: dropping a write cut short (it was never acknowledged)',
    );
    expect((await drainAll(after)).map((row) => row.a.name)).toEqual(['a', 'b']);
    expect(await after.append(events(['c']))).toEqual([3]);
  });

  it('stops at a frame whose checksum does not match', async () => {
    const dir = tempDir();
    const before = await openJournal(dir);
    await before.append(events(['a']));
    await before.append(events(['b']));
    await before.close();
    const file = path.join(dir, segmentsIn(dir)[0]!);
    const bytes = readFileSync(file);
    const firstEnd = 20 + bytes.readUInt32LE(0);
    // One byte of the second frame's payload flipped.
    bytes[firstEnd + 25] = (bytes[firstEnd + 25] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);

    const after = await openJournal(dir);
    expect((await drainAll(after)).map((row) => row.a.name)).toEqual(['a']);
  });

  it('starts a new segment past the size limit and deletes the finished ones once read', async () => {
    const dir = tempDir();
    const journal = await openJournal(dir, { segmentBytes: 2000 });
    for (let n = 0; n < 12; n++) await journal.append(events([`alert-${n}`, `other-${n}`]));
    expect(segmentsIn(dir).length).toBeGreaterThan(2);
    const rows = await drainAll(journal, 3);
    expect(rows.map((row) => row.i)).toEqual(Array.from({ length: 24 }, (_, k) => k + 1));
    // Only the segment still being written remains.
    expect(segmentsIn(dir)).toHaveLength(1);
    await journal.append(events(['late']));
    expect((await drainAll(journal)).map((row) => row.a.name)).toEqual(['late']);
  });

  it('refuses the alerts of a write that fails, with a 503 to send them again, and goes on', async () => {
    const dir = tempDir();
    const { log, lines } = recordingLogger();
    const journal = await openJournal(dir, { log });
    // The folder gone (a volume unmounted, say): the segment cannot be created.
    rmSync(dir, { recursive: true });
    await expect(journal.append(events(['lost']))).rejects.toMatchObject({
      code: 'AKM_INBOX_JOURNAL_WRITE_FAILED',
      statusCode: 503,
    });
    expect(lines().map((line) => line.msg)).toContain(
      'inbox journal: a write failed; its alerts were refused (the senders may retry)',
    );
    expect(journal.pending).toBe(0);
    mkdirSync(dir, { recursive: true });
    const [id] = await journal.append(events(['kept']));
    expect((await drainAll(journal)).map((row) => [row.i, row.a.name])).toEqual([[id, 'kept']]);
  });

  it('refuses appends once closed', async () => {
    const journal = await openJournal(tempDir());
    await journal.close();
    await expect(journal.append(events(['a']))).rejects.toMatchObject({
      code: 'AKM_INBOX_JOURNAL_CLOSED',
    });
  });

  it('creates its folder private to the owner', async () => {
    const dir = tempDir();
    const journal = await openJournal(dir);
    await journal.append(events(['a']));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, segmentsIn(dir)[0]!)).mode & 0o777).toBe(0o600);
  });
});
