import { createLogger, type IncidentEvent } from '@akmatori/core';
import type { Database } from '@akmatori/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '@akmatori/test-support/databases';
import { Revocations, type RevocationOrigin } from '../src/auth/revocations.js';
import { IncidentEventBus } from '../src/incidents/incident-event-bus.js';
import { ReplicaFeed } from '../src/runs/replica-feed.js';
import { RunEventStream } from '../src/runs/run-event-stream.js';
import { RunRepository } from '../src/runs/run-repository.js';

// Two replica feeds on one real PostgreSQL database, as two API replicas hold them: what one
// announces reaches the other once, and nothing comes back to where it started. (The full
// stack of processes is in replicas.test.ts.)

type Origin = 'here' | 'replica';

/** The webhook source cache's side the feed uses, recording what was invalidated and why. */
function sourceCache() {
  const listeners = new Set<(id: string, origin: Origin) => void>();
  const heard: [string, Origin][] = [];
  return {
    heard,
    invalidate(id: string, origin: Origin = 'here') {
      heard.push([id, origin]);
      for (const listener of listeners) listener(id, origin);
    },
    onInvalidate(listener: (id: string, origin: Origin) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

interface Replica {
  readonly feed: ReplicaFeed;
  readonly incidents: IncidentEventBus;
  readonly revocations: Revocations;
  readonly sources: ReturnType<typeof sourceCache>;
  readonly revoked: RevocationOrigin[];
}

let database: Database;
let a: Replica;
let b: Replica;
const held = new Set<string>();

function replica(holds: ReadonlySet<string>): Replica {
  const log = createLogger({ level: 'silent' });
  const incidents = new IncidentEventBus(log);
  const revocations = new Revocations();
  const sources = sourceCache();
  const revoked: RevocationOrigin[] = [];
  revocations.subscribe((origin) => revoked.push(origin));
  const feed = new ReplicaFeed({
    database: database as Database & Required<Pick<Database, 'listen'>>,
    runs: new RunRepository(database.knex),
    localRuns: new RunEventStream(),
    localIncidents: incidents,
    revocations,
    sources,
    cancelHere: (runId) => holds.has(runId),
    log,
  });
  return { feed, incidents, revocations, sources, revoked };
}

/** Resolves with the first value `subscribe` delivers. */
const next = <T>(subscribe: (deliver: (value: T) => void) => () => void): Promise<T> =>
  new Promise((resolve) => {
    const stop = subscribe((value) => {
      stop();
      resolve(value);
    });
  });

beforeAll(async () => {
  database = await openTestDatabase('postgres');
  await database.migrate();
  a = replica(new Set());
  b = replica(held);
  await a.feed.start();
  await b.feed.start();
});

afterAll(async () => {
  await a?.feed.stop();
  await b?.feed.stop();
  await database?.close();
});

describe('the replica feed on PostgreSQL', () => {
  it('drops on B an alert source changed on A, without announcing it back', async () => {
    const onB = next<[string, Origin]>((deliver) =>
      b.sources.onInvalidate((id, origin) => deliver([id, origin])),
    );
    a.sources.invalidate('source-1');
    expect(await onB).toEqual(['source-1', 'replica']);
    // B's own announcement after it makes the same round trip: A hears B's, and only once.
    const onA = next<[string, Origin]>((deliver) =>
      a.sources.onInvalidate((id, origin) => deliver([id, origin])),
    );
    b.sources.invalidate('source-2');
    expect(await onA).toEqual(['source-2', 'replica']);
    expect(a.sources.heard).toEqual([
      ['source-1', 'here'],
      ['source-2', 'replica'],
    ]);
  });

  it('tells B of a revocation made on A, as made on another replica', async () => {
    const onB = next<RevocationOrigin>((deliver) => b.revocations.subscribe(deliver));
    a.revocations.notify();
    expect(await onB).toBe('replica');
    expect(a.revoked.at(-1)).toBe('here');
  });

  it("passes A's incident changes to B's sockets, dates and all, and keeps B's notifiers out of it", async () => {
    const event: IncidentEvent = {
      type: 'incident.status_changed',
      from: 'pending',
      incident: {
        uuid: '5b0c7d3e-54c4-4b8e-9d0c-2b1f6f1d9a01',
        title: 'Disk full on web-1',
        status: 'investigating',
        state: 'open',
        severity: 'critical',
        sourceType: 'alertmanager',
        createdAt: new Date('2026-12-05T10:00:00Z'),
        updatedAt: new Date('2026-12-05T10:01:00Z'),
      },
    };
    const localOnB: IncidentEvent[] = [];
    b.incidents.subscribe((seen) => localOnB.push(seen));
    const onB = next<IncidentEvent>((deliver) => b.feed.incidentEvents.subscribe(deliver));
    a.incidents.publish(event);
    const seen = await onB;
    expect(seen.type).toBe('incident.status_changed');
    expect(seen.incident).toEqual(event.incident);
    expect(localOnB, "B's own bus (its notifiers) hears nothing of A's changes").toEqual([]);
  });

  it('cancels through B a run B holds, and says when no replica holds it', async () => {
    held.add('run-held-by-b');
    expect(await a.feed.cancelElsewhere('run-held-by-b', 'cancelled by user:rita')).toBe(true);
    expect(await a.feed.cancelElsewhere('run-held-by-nobody', 'cancelled by user:rita')).toBe(
      false,
    );
  });
});
