import { randomUUID } from 'node:crypto';
import type { InjectRequest } from '@akmatori/host';
import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';

// What an API token may do is bounded by who made it: never a role above its creator's, and a
// token minted with a token never outranks or outlives it and dies with it. Non-admins see and
// revoke only their own tokens.

const password = 'a good password';
const HOUR_MS = 3600_000;

interface CreatedToken {
  id: string;
  token: string;
  role: string;
  created_by: string | null;
  parent_token_id: string | null;
  expires_at: string | null;
}

let host: TestHost;
let admin: string;
const responders: { id: string; session: string }[] = [];

const call = (
  method: InjectRequest['method'],
  url: string,
  token: string,
  payload?: Record<string, unknown>,
) => host.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const mint = (token: string, body: Record<string, unknown>) =>
  call('POST', '/api/tokens', token, { name: 'scoped', ...body });

async function minted(token: string, body: Record<string, unknown> = {}): Promise<CreatedToken> {
  const response = await mint(token, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CreatedToken>();
}

const inHours = (hours: number): string =>
  new Date(host.clock.now().getTime() + hours * HOUR_MS).toISOString();

/** A responder-only call that answers 404 for a caller allowed to make it. */
const responderRoute = () => `/api/incidents/${randomUUID()}/cancel`;

const statusOf = async (token: string, method: InjectRequest['method'], url: string) =>
  (await call(method, url, token)).statusCode;

function expectRefused(response: { statusCode: number; json: () => unknown }): void {
  expect(response.statusCode).toBe(403);
  expect(response.json()).toMatchObject({ code: 'AKM_TOKEN_EXCEEDS_CREATOR' });
}

beforeAll(async () => {
  host = await startApp();
  admin = await setUpAdmin(host, password);
  for (const username of ['rosa', 'rick']) {
    const created = await call('POST', '/api/users', admin, {
      username,
      password,
      role: 'responder',
    });
    expect(created.statusCode, created.body).toBe(201);
    const login = await host.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username, password },
    });
    responders.push({
      id: created.json<{ id: string }>().id,
      session: login.json<{ token: string }>().token,
    });
  }
}, 120_000);
afterAll(async () => {
  await host?.close();
});

describe("a token's role", () => {
  it("defaults to its creator's role, and acts with it", async () => {
    const [rosa] = responders;
    const token = await minted(rosa!.session);
    expect(token).toMatchObject({ role: 'responder', created_by: rosa!.id, parent_token_id: null });
    expect(await statusOf(token.token, 'POST', responderRoute())).toBe(404);
  });

  it("cannot be above its creator's (403 AKM_TOKEN_EXCEEDS_CREATOR)", async () => {
    const [rosa] = responders;
    expectRefused(await mint(rosa!.session, { role: 'admin' }));
    const viewer = await minted(rosa!.session, { role: 'viewer' });
    expect(viewer.role).toBe('viewer');
    const refused = await call('POST', responderRoute(), viewer.token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AKM_FORBIDDEN' });
  });
});

describe('a token minted with a token', () => {
  it("expires with its parent by default and acts for the parent's creator", async () => {
    const parent = await minted(admin, { expires_at: inHours(1) });
    for (const body of [{}, { expires_at: null }]) {
      const child = await minted(parent.token, body);
      expect(child, JSON.stringify(body)).toMatchObject({
        expires_at: parent.expires_at,
        parent_token_id: parent.id,
        created_by: parent.created_by,
      });
    }
    const shorter = await minted(parent.token, { expires_at: inHours(0.5) });
    expect(shorter.expires_at).toBe(inHours(0.5));
  });

  it('cannot outlive its parent (403)', async () => {
    const parent = await minted(admin, { expires_at: inHours(1) });
    expectRefused(await mint(parent.token, { expires_at: inHours(2) }));
  });

  it('cannot outrank its parent (403), and defaults to its role', async () => {
    const parent = await minted(admin, { role: 'viewer' });
    for (const role of ['responder', 'admin']) expectRefused(await mint(parent.token, { role }));
    expect((await minted(parent.token)).role).toBe('viewer');
  });

  it('stops working the moment its parent is revoked (401)', async () => {
    const parent = await minted(admin);
    const child = await minted(parent.token);
    const grandchild = await minted(child.token);
    expect(await statusOf(grandchild.token, 'GET', '/api/me')).toBe(200);
    expect(await statusOf(admin, 'DELETE', `/api/tokens/${parent.id}`)).toBe(204);
    for (const token of [parent, child, grandchild]) {
      const response = await call('GET', '/api/me', token.token);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'AKM_AUTH_INVALID_TOKEN' });
    }
    const list = await call('GET', '/api/tokens', admin);
    const ids = list.json<{ data: { id: string }[] }>().data.map((t) => t.id);
    expect(ids).not.toContain(child.id);
    expect(ids).not.toContain(grandchild.id);
  });
});

describe('tokens of other users', () => {
  it('are neither listed nor revocable by a non-admin (404), but are by an admin', async () => {
    const [rosa, rick] = responders;
    const rosas = await minted(rosa!.session, { name: 'rosa-only' });
    const ricks = await minted(rick!.session, { name: 'rick-only' });
    const adminToken = await minted(admin, { name: 'admin-only' });

    for (const caller of [rosa!.session, rosas.token]) {
      const list = await call('GET', '/api/tokens', caller);
      const listed = list.json<{ data: { id: string; created_by: string }[] }>().data;
      expect(listed.map((t) => t.id)).toContain(rosas.id);
      expect(listed.every((t) => t.created_by === rosa!.id)).toBe(true);
      for (const other of [ricks, adminToken]) {
        const refused = await call('DELETE', `/api/tokens/${other.id}`, caller);
        expect(refused.statusCode).toBe(404);
        expect(refused.json()).toMatchObject({ code: 'AKM_NOT_FOUND' });
      }
    }
    expect(await statusOf(ricks.token, 'GET', '/api/me')).toBe(200);
    expect(await statusOf(adminToken.token, 'GET', '/api/me')).toBe(200);

    const all = await call('GET', '/api/tokens', admin);
    const allIds = all.json<{ data: { id: string }[] }>().data.map((t) => t.id);
    expect(allIds).toEqual(expect.arrayContaining([rosas.id, ricks.id, adminToken.id]));
    expect(await statusOf(rosa!.session, 'DELETE', `/api/tokens/${rosas.id}`)).toBe(204);
    expect(await statusOf(admin, 'DELETE', `/api/tokens/${ricks.id}`)).toBe(204);
    expect(await statusOf(ricks.token, 'GET', '/api/me')).toBe(401);
  });
});

describe('a token in use', () => {
  it('shows when it was last used', async () => {
    const [rosa] = responders;
    const token = await minted(rosa!.session, { name: 'used' });
    const lastUsed = async () =>
      (await call('GET', '/api/tokens', rosa!.session))
        .json<{ data: { id: string; last_used_at: string | null }[] }>()
        .data.find((t) => t.id === token.id)?.last_used_at;
    expect(await lastUsed()).toBeNull();
    host.clock.advance(5000);
    expect(await statusOf(token.token, 'GET', '/api/incidents')).toBe(200);
    expect(await lastUsed()).toBe(host.clock.now().toISOString());
  });

  it('stops working once expired (401)', async () => {
    const token = await minted(admin, { expires_at: inHours(0.05) });
    expect(await statusOf(token.token, 'GET', '/api/me')).toBe(200);
    host.clock.advance(0.05 * HOUR_MS);
    const expired = await call('GET', '/api/me', token.token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({
      code: 'AKM_AUTH_INVALID_TOKEN',
      message: expect.stringContaining('expired'),
    });
    expect(await statusOf(admin, 'GET', '/api/me')).toBe(200);
  });
});
