import { createRepositories, type Database, migrations, type Repositories } from '@akmatori/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDatabase } from '@akmatori/test-support/databases';

describe.each(backends)('repositories on the %s backend', (backend) => {
  let db: Database;
  let repos: Repositories;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await db.migrate();
    repos = createRepositories(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('migrations', () => {
    it('are all applied and a second run applies nothing', async () => {
      expect(await db.pendingMigrations()).toEqual([]);
      expect(await db.migrate()).toEqual([]);
    });

    it('run on a brand-new database and report what they applied', async () => {
      const fresh = await openTestDatabase(backend);
      try {
        expect(await fresh.pendingMigrations()).toEqual(migrations.map((m) => m.name));
        expect(await fresh.migrate()).toEqual(migrations.map((m) => m.name));
        await fresh.ping();
      } finally {
        await fresh.close();
      }
    });
  });

  describe('users', () => {
    it('creates a user once; a second create with the same name returns nothing', async () => {
      const at = new Date('2026-01-02T03:04:05.000Z');
      const created = await repos.users.createIfAbsent({
        username: 'alice',
        passwordHash: 'h1',
        at,
      });
      expect(created).toMatchObject({ username: 'alice', passwordHash: 'h1', lastLoginAt: null });
      expect(created?.createdAt.toISOString()).toBe(at.toISOString());
      expect(
        await repos.users.createIfAbsent({ username: 'alice', passwordHash: 'h2', at }),
      ).toBeUndefined();
      expect((await repos.users.findByUsername('alice'))?.passwordHash).toBe('h1');
    });

    it('lets exactly one of several concurrent creates win', async () => {
      const at = new Date();
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          repos.users.createIfAbsent({ username: 'racer', passwordHash: `h${i}`, at }),
        ),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });

    it('updates the password hash and the change time, and records logins', async () => {
      const user = await repos.users.createIfAbsent({
        username: 'bob',
        passwordHash: 'old',
        at: new Date('2026-01-01T00:00:00Z'),
      });
      const later = new Date('2026-02-01T00:00:00Z');
      await repos.users.updatePassword(user!.id, 'new', later);
      await repos.users.recordLogin(user!.id, later);
      const reread = await repos.users.findById(user!.id);
      expect(reread).toMatchObject({ passwordHash: 'new' });
      expect(reread?.passwordChangedAt.toISOString()).toBe(later.toISOString());
      expect(reread?.lastLoginAt?.toISOString()).toBe(later.toISOString());
    });

    it('counts users as a number', async () => {
      const count = await repos.users.count();
      expect(typeof count).toBe('number');
      expect(count).toBeGreaterThanOrEqual(2);
    });
  });

  describe('api tokens', () => {
    it('stores a token by hash, finds it by hash, and never returns the hash', async () => {
      const at = new Date('2026-03-01T00:00:00Z');
      const record = await repos.apiTokens.create({
        name: 'ci',
        tokenHash: 'hash-ci',
        tokenPrefix: 'akm_abcdef',
        role: 'admin',
        parentTokenId: null,
        createdBy: null,
        at,
        expiresAt: null,
      });
      expect(record).toMatchObject({
        name: 'ci',
        tokenPrefix: 'akm_abcdef',
        expiresAt: null,
        lastUsedAt: null,
      });
      expect(record).not.toHaveProperty('tokenHash');
      expect((await repos.apiTokens.findByHash('hash-ci'))?.id).toBe(record.id);
      expect(await repos.apiTokens.findByHash('nope')).toBeUndefined();
    });

    it('lists newest first, touches and deletes', async () => {
      const older = await repos.apiTokens.create({
        name: 'older',
        tokenHash: 'h-old',
        tokenPrefix: 'akm_1',
        role: 'admin',
        parentTokenId: null,
        createdBy: null,
        at: new Date('2026-01-01Z'),
        expiresAt: new Date('2027-01-01Z'),
      });
      const newer = await repos.apiTokens.create({
        name: 'newer',
        tokenHash: 'h-new',
        tokenPrefix: 'akm_2',
        role: 'admin',
        parentTokenId: null,
        createdBy: null,
        at: new Date('2026-06-01Z'),
        expiresAt: null,
      });
      const names = (await repos.apiTokens.list()).map((t) => t.name);
      expect(names.indexOf('newer')).toBeLessThan(names.indexOf('older'));
      const used = new Date('2026-07-01T00:00:00Z');
      await repos.apiTokens.touch(older.id, used);
      expect((await repos.apiTokens.findByHash('h-old'))?.lastUsedAt?.toISOString()).toBe(
        used.toISOString(),
      );
      expect(await repos.apiTokens.delete(newer.id)).toBe(true);
      expect(await repos.apiTokens.delete(newer.id)).toBe(false);
      expect(await repos.apiTokens.findByHash('h-new')).toBeUndefined();
    });
  });

  describe('settings', () => {
    it('round-trips JSON values and replaces on set', async () => {
      await repos.settings.set('ui.theme', { dark: true, accents: ['red'] });
      expect(await repos.settings.get('ui.theme')).toEqual({ dark: true, accents: ['red'] });
      await repos.settings.set('ui.theme', 'light');
      expect(await repos.settings.get('ui.theme')).toBe('light');
      expect(await repos.settings.get('missing')).toBeUndefined();
    });

    it('setIfAbsent keeps the first value and returns it to every caller', async () => {
      const [a, b] = await Promise.all([
        repos.settings.setIfAbsent('k', 'first'),
        repos.settings.setIfAbsent('k', 'second'),
      ]);
      expect(a).toBe(b);
      expect(await repos.settings.setIfAbsent('k', 'third')).toBe(a);
    });
  });
});

describe('incident status changes', () => {
  it('are checked against the lifecycle state machine', async () => {
    const db = await openTestDatabase('embedded');
    try {
      await db.migrate();
      const repos = createRepositories(db);
      await db.transaction((sql) =>
        repos.incidents.insertMany(sql, [
          {
            id: '11111111-1111-4111-8111-111111111111',
            title: 't',
            severity: 'warning',
            sourceId: null,
            sourceType: 'manual',
            groupKey: null,
            task: 'x',
            context: null,
            investigateAfter: new Date(),
            createdAt: new Date(),
          },
        ]),
      );
      const id = '11111111-1111-4111-8111-111111111111';
      await expect(
        repos.incidents.transition(id, ['pending'], 'completed', new Date()),
      ).rejects.toMatchObject({
        code: 'AKM_INCIDENT_TRANSITION_INVALID',
      });
      expect(
        (await repos.incidents.transition(id, ['pending'], 'investigating', new Date()))?.status,
      ).toBe('investigating');
      expect(
        await repos.incidents.transition(id, ['pending'], 'investigating', new Date()),
      ).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});
