import type { IncidentActor } from '@akmatori/core';
import {
  createRepositories,
  type Database,
  type Migration,
  migrations,
  migrationsTable,
  type Repositories,
  systemActor,
} from '@akmatori/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDatabase } from '@akmatori/test-support/databases';

const alice: IncidentActor = {
  kind: 'user',
  userId: '7d0c3c8e-1111-4111-8111-111111111111',
  name: 'alice',
};
const t = (minute: number): Date => new Date(Date.UTC(2026, 0, 1, 0, minute));

let counter = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

async function insertSource(db: Database): Promise<string> {
  const id = uuid();
  await db.executeSql(
    "insert into alert_sources (id, source_type, name) values ($1, 'test', 'source')",
    [id],
  );
  return id;
}

async function insertIncident(repos: Repositories, db: Database, sourceId: string | null) {
  const id = uuid();
  await db.transaction((sql) =>
    repos.incidents.insertMany(sql, [
      {
        id,
        title: 'Disk full',
        severity: 'warning',
        sourceId,
        sourceType: sourceId === null ? 'manual' : 'test',
        groupKey: sourceId === null ? null : 'g',
        task: null,
        context: null,
        investigateAfter: t(0),
        createdAt: t(0),
      },
    ]),
  );
  return id;
}

describe.each(backends)("the incident's own state on the %s backend", (backend) => {
  let db: Database;
  let repos: Repositories;
  let source: string;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await db.migrate();
    repos = createRepositories(db);
    source = await insertSource(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  const count = (id: string, delta: { added: number; firing: number }, at: Date) =>
    db.transaction((sql) =>
      repos.incidents.applyCounterDeltas(sql, new Map([[id, { ...delta, severity: null }]]), at),
    );

  it('starts open, with nobody named', async () => {
    const incident = await repos.incidents.get(await insertIncident(repos, db, source));
    expect(incident).toMatchObject({
      state: 'open',
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
      reopenedAt: null,
      reopenCount: 0,
    });
  });

  it('records who acknowledged and resolved it, compare-and-set', async () => {
    const id = await insertIncident(repos, db, null);
    const acknowledged = await repos.incidents.setState(id, ['open'], 'acknowledged', alice, t(1));
    expect(acknowledged).toMatchObject({
      state: 'acknowledged',
      acknowledgedAt: t(1),
      acknowledgedBy: alice,
    });
    expect(
      await repos.incidents.setState(id, ['open'], 'acknowledged', alice, t(2)),
    ).toBeUndefined();
    const resolved = await repos.incidents.setState(id, ['acknowledged'], 'resolved', alice, t(3));
    expect(resolved).toMatchObject({
      state: 'resolved',
      resolvedAt: t(3),
      resolvedBy: alice,
      acknowledgedBy: alice,
    });
  });

  it('refuses a move the state machine does not have, as a programming error', async () => {
    const id = await insertIncident(repos, db, null);
    await expect(
      repos.incidents.setState(id, ['resolved'], 'acknowledged', alice, t(1)),
    ).rejects.toMatchObject({
      code: 'AKM_INCIDENT_TRANSITION_INVALID',
    });
  });

  it('reopening clears the acknowledgement and resolution and counts', async () => {
    const id = await insertIncident(repos, db, null);
    await repos.incidents.setState(id, ['open'], 'acknowledged', alice, t(1));
    await repos.incidents.setState(id, ['acknowledged'], 'resolved', alice, t(2));
    expect(await repos.incidents.setState(id, ['resolved'], 'open', alice, t(3))).toMatchObject({
      state: 'open',
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
      reopenedAt: t(3),
      reopenCount: 1,
    });
  });

  it('is resolved by system when its alerts have all resolved, and reopened when one fires again', async () => {
    const id = await insertIncident(repos, db, source);
    expect(await count(id, { added: 2, firing: 2 }, t(1))).toEqual({
      alertsResolved: [],
      stateChanges: [],
    });
    await repos.incidents.setState(id, ['open'], 'acknowledged', alice, t(2));
    expect(await count(id, { added: 0, firing: -2 }, t(3))).toEqual({
      alertsResolved: [id],
      stateChanges: [{ id, from: 'acknowledged', to: 'resolved' }],
    });
    expect(await repos.incidents.get(id)).toMatchObject({
      state: 'resolved',
      resolvedAt: t(3),
      resolvedBy: systemActor,
      alertsResolvedAt: t(3),
    });
    expect(await count(id, { added: 1, firing: 1 }, t(4))).toEqual({
      alertsResolved: [],
      stateChanges: [{ id, from: 'resolved', to: 'open' }],
    });
    expect(await repos.incidents.get(id)).toMatchObject({
      state: 'open',
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
      reopenedAt: t(4),
      reopenCount: 1,
      firingCount: 1,
      alertsResolvedAt: null,
    });
  });

  it('keeps a resolution made by a person when the alerts resolve later, and is not reopened by a repeat', async () => {
    const id = await insertIncident(repos, db, source);
    await count(id, { added: 1, firing: 1 }, t(1));
    await repos.incidents.setState(id, ['open'], 'resolved', alice, t(2));
    // a repeat of the firing alert adds nothing
    expect((await count(id, { added: 0, firing: 0 }, t(3))).stateChanges).toEqual([]);
    expect((await count(id, { added: 0, firing: -1 }, t(4))).stateChanges).toEqual([]);
    expect(await repos.incidents.get(id)).toMatchObject({
      state: 'resolved',
      resolvedBy: alice,
      resolvedAt: t(2),
    });
  });

  it("joins a group's alerts to its recently resolved incident, not to one resolved long ago", async () => {
    const other = await insertSource(db);
    const old = await insertIncident(repos, db, other);
    await count(old, { added: 1, firing: 1 }, t(1));
    await count(old, { added: 0, firing: -1 }, t(2));
    const joins = (reopenAfter: Date) =>
      db.transaction((sql) =>
        repos.incidents.openForGroups(sql, [{ sourceId: other, groupKey: 'g' }], reopenAfter),
      );
    expect((await joins(t(1))).map((row) => row.id)).toEqual([old]);
    expect(await joins(t(2))).toEqual([]);
    const firing = await insertIncident(repos, db, other);
    await count(firing, { added: 1, firing: 1 }, t(3));
    expect((await joins(t(1))).map((row) => row.id)).toEqual([firing]);
  });

  it('lists by state', async () => {
    const states = new Set(
      (await repos.incidents.list({ states: ['resolved'] }, 1, 200)).data.map((i) => i.state),
    );
    expect([...states]).toEqual(['resolved']);
  });
});

describe.each(backends)('migration 0016 on the %s backend', (backend) => {
  it('resolves, by system, the alert-triggered incidents whose alerts had all resolved', async () => {
    const db = await openTestDatabase(backend);
    try {
      const before = migrations.slice(
        0,
        migrations.findIndex((m) => m.name === '0016_incident_state'),
      );
      await db.knex.migrate.latest({
        tableName: migrationsTable,
        migrationSource: {
          getMigrations: async () => before,
          getMigrationName: (migration: Migration) => migration.name,
          getMigration: async (migration: Migration) => migration,
        },
      });
      const sourceId = await insertSource(db);
      const insert = (id: string, resolvedAt: Date | null, source: string | null) =>
        db.executeSql(
          `insert into incidents (id, title, source_id, source_type, severity, investigate_after, alerts_resolved_at, status)
           values ($1, 't', $2, $3, 'warning', now(), $4, 'completed')`,
          [id, source, source === null ? 'manual' : 'test', resolvedAt?.toISOString() ?? null],
        );
      const [quiet, firing, manual] = [uuid(), uuid(), uuid()];
      await insert(quiet, t(5), sourceId);
      await insert(firing, null, sourceId);
      await insert(manual, null, null);
      await db.migrate();
      const repos = createRepositories(db);
      expect(await repos.incidents.get(quiet)).toMatchObject({
        state: 'resolved',
        resolvedAt: t(5),
        resolvedBy: systemActor,
        status: 'completed',
      });
      expect((await repos.incidents.get(firing))?.state).toBe('open');
      expect((await repos.incidents.get(manual))?.state).toBe('open');
    } finally {
      await db.close();
    }
  });
});
