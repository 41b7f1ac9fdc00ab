import { createHash } from 'node:crypto';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';

let host: TestHost;
let admin: Record<string, string>;

beforeEach(async () => {
  host = await startApp();
  admin = bearer(await setUpAdmin(host));
});
afterEach(async () => {
  await host.close();
});

const createToken = (payload: Record<string, unknown>, headers = admin) =>
  host.inject({ method: 'POST', url: '/api/tokens', headers, payload });

describe('API tokens', () => {
  it('are created with their value shown once, then authenticate /api requests', async () => {
    const created = await createToken({ name: 'ci pipeline' });
    expect(created.statusCode).toBe(201);
    const body = created.json<{
      id: string;
      token: string;
      token_prefix: string;
      name: string;
      expires_at: null;
    }>();
    expect(body.token).toMatch(/^akm_[A-Za-z0-9_-]{43}$/);
    expect(body.token.startsWith(body.token_prefix)).toBe(true);
    expect(body).toMatchObject({ name: 'ci pipeline', expires_at: null });

    const me = await host.inject({ method: 'GET', url: '/api/me', headers: bearer(body.token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      kind: 'api_token',
      id: body.id,
      name: 'ci pipeline',
      role: 'admin',
      expires_at: null,
    });
  });

  it('are listed without their values, with when they were last used', async () => {
    const { token, id } = (await createToken({ name: 'grafana' })).json<{
      token: string;
      id: string;
    }>();
    await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    const list = await host.inject({ method: 'GET', url: '/api/tokens', headers: admin });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token);
    const [entry] = list.json<{ data: Record<string, unknown>[] }>().data;
    expect(entry).toMatchObject({
      id,
      name: 'grafana',
      last_used_at: host.clock.now().toISOString(),
    });
    expect(entry).not.toHaveProperty('token');
    expect(entry).not.toHaveProperty('token_hash');
  });

  it('are stored only as a SHA-256 hash', async () => {
    const { token, id } = (await createToken({ name: 'hashed' })).json<{
      token: string;
      id: string;
    }>();
    const row = (await host.database.knex('api_tokens').where({ id }).first()) as {
      token_hash: string;
    };
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('stop working once revoked, and revoking twice is a 404', async () => {
    const { token, id } = (await createToken({ name: 'temp' })).json<{
      token: string;
      id: string;
    }>();
    expect(
      (await host.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin }))
        .statusCode,
    ).toBe(204);
    const after = await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'AKM_AUTH_INVALID_TOKEN' });
    const again = await host.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'AKM_NOT_FOUND' });
  });

  it('stop working after their expiry', async () => {
    const expiresAt = new Date(host.clock.now().getTime() + 3600_000).toISOString();
    const created = await createToken({ name: 'short-lived', expires_at: expiresAt });
    expect(created.json()).toMatchObject({ expires_at: expiresAt });
    const { token } = created.json<{ token: string }>();
    expect(
      (await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode,
    ).toBe(200);
    host.clock.advance(3600_000);
    const expired = await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ message: expect.stringContaining('expired') });
  });

  it('can create and manage other tokens (automation can rotate its own credentials)', async () => {
    const parent = (await createToken({ name: 'rotator' })).json<{
      token: string;
      id: string;
      created_by: string;
    }>();
    const child = await createToken({ name: 'rotated' }, bearer(parent.token));
    expect(child.statusCode).toBe(201);
    // It acts for the user behind the token that minted it, and is revoked with that token.
    expect(child.json()).toMatchObject({
      created_by: parent.created_by,
      parent_token_id: parent.id,
      role: 'admin',
    });
  });

  it('refuse bad input with 400 and a reason', async () => {
    const past = await createToken({
      name: 'old',
      expires_at: new Date(host.clock.now().getTime() - 1000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ code: 'AKM_EXPIRY_IN_PAST' });
    for (const payload of [
      {},
      { name: '' },
      { name: 'x', expires_at: 'tomorrow' },
      { name: 'x', extra: true },
    ]) {
      const response = await createToken(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'AKM_VALIDATION' });
    }
    const badId = await host.inject({
      method: 'DELETE',
      url: '/api/tokens/not-a-uuid',
      headers: admin,
    });
    expect(badId.statusCode).toBe(400);
  });
});
