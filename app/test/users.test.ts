import { randomUUID } from 'node:crypto';
import type { InjectRequest } from '@akmatori/host';
import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setUpAdmin, startApp } from './helpers.js';

// The users API end to end: an admin creates users with roles, changes, disables and
// re-enables them, sets their passwords and ends their sessions; users log out and change
// their own passwords; every change lands in the operator audit.

const password = 'a good password';

let host: TestHost;
let admin: string;
let adminId: string;

const call = (
  method: InjectRequest['method'],
  url: string,
  token?: string,
  payload?: Record<string, unknown>,
  extra: Partial<InjectRequest> = {},
) =>
  host.inject({
    method,
    url,
    ...extra,
    headers: { ...(token === undefined ? {} : bearer(token)), ...extra.headers },
    ...(payload === undefined ? {} : { payload }),
  });

async function createUser(username: string, role: string, pass = password): Promise<string> {
  const response = await call('POST', '/api/users', admin, { username, password: pass, role });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

const login = (username: string, pass = password, extra: Partial<InjectRequest> = {}) =>
  call('POST', '/auth/login', undefined, { username, password: pass }, extra);

async function session(username: string, pass = password): Promise<string> {
  const response = await login(username, pass);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ token: string }>().token;
}

async function ownToken(token: string, body: Record<string, unknown> = {}): Promise<string> {
  const response = await call('POST', '/api/tokens', token, { name: 'mine', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ token: string }>().token;
}

const status = async (token: string, method: InjectRequest['method'], url: string) =>
  (await call(method, url, token)).statusCode;

/** A responder-only call that answers 404 for a caller allowed to make it. */
const responderRoute = () => `/api/incidents/${randomUUID()}/cancel`;

beforeAll(async () => {
  host = await startApp();
  admin = await setUpAdmin(host, password);
  adminId = (await call('GET', '/api/me', admin)).json<{ id: string }>().id;
}, 120_000);
afterAll(async () => {
  await host?.close();
});

describe('creating users', () => {
  it('an admin creates a user with a role, who then logs in with it', async () => {
    const created = await call('POST', '/api/users', admin, {
      username: 'carla',
      password,
      role: 'responder',
      email: 'carla@example.com',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      username: 'carla',
      role: 'responder',
      email: 'carla@example.com',
      disabled: false,
      last_login_at: null,
    });
    const me = await call('GET', '/api/me', await session('carla'));
    expect(me.json()).toMatchObject({ kind: 'user', name: 'carla', role: 'responder' });
  });

  it('refuses a taken username with 409 AKM_USERNAME_TAKEN', async () => {
    await createUser('taken', 'viewer');
    const again = await call('POST', '/api/users', admin, {
      username: 'taken',
      password,
      role: 'admin',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AKM_USERNAME_TAKEN' });
  });

  it('refuses a bad role, username or password with 400', async () => {
    for (const payload of [
      { username: 'newbie', password, role: 'root' },
      { username: 'new bie', password, role: 'viewer' },
      { username: '-newbie', password, role: 'viewer' },
      { username: '', password, role: 'viewer' },
      { username: 'newbie', password: 'short', role: 'viewer' },
      { username: 'newbie', password },
      { username: 'newbie', password, role: 'viewer', is_admin: true },
    ]) {
      const response = await call('POST', '/api/users', admin, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'AKM_VALIDATION' });
    }
    const list = await call('GET', '/api/users', admin);
    expect(list.body).not.toContain('newbie');
  });

  it('lists users and shows one, never with a password hash', async () => {
    const id = await createUser('listed', 'viewer');
    const list = await call('GET', '/api/users', admin);
    expect(list.statusCode).toBe(200);
    const names = list.json<{ data: { username: string }[] }>().data.map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'listed']));
    const one = await call('GET', `/api/users/${id}`, admin);
    expect(one.json()).toMatchObject({ id, username: 'listed', role: 'viewer' });
    for (const body of [list.body, one.body]) expect(body).not.toMatch(/scrypt|password_hash/);
    const missing = await call('GET', `/api/users/${randomUUID()}`, admin);
    expect(missing.statusCode).toBe(404);
  });
});

describe('changing a role', () => {
  it("weakens a demoted user's existing session on its very next request", async () => {
    const id = await createUser('rhea', 'responder');
    const token = await session('rhea');
    expect(await status(token, 'POST', responderRoute())).toBe(404);
    const demoted = await call('PATCH', `/api/users/${id}`, admin, { role: 'viewer' });
    expect(demoted.json()).toMatchObject({ role: 'viewer' });
    const refused = await call('POST', responderRoute(), token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AKM_FORBIDDEN' });
    expect((await call('GET', '/api/me', token)).json()).toMatchObject({ role: 'viewer' });
    await call('PATCH', `/api/users/${id}`, admin, { role: 'responder' });
    expect(await status(token, 'POST', responderRoute())).toBe(404);
  });

  it("weakens the user's API tokens too: a responder token of a demoted creator is refused", async () => {
    const id = await createUser('tobias', 'responder');
    const token = await ownToken(await session('tobias'));
    expect(await status(token, 'POST', responderRoute())).toBe(404);
    await call('PATCH', `/api/users/${id}`, admin, { role: 'viewer' });
    const refused = await call('POST', responderRoute(), token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AKM_FORBIDDEN' });
    expect((await call('GET', '/api/me', token)).json()).toMatchObject({ role: 'viewer' });
  });
});

describe('disabling a user', () => {
  it('stops its sessions and tokens at once (401)', async () => {
    const id = await createUser('dora', 'responder');
    const token = await session('dora');
    const apiToken = await ownToken(token);
    const disabled = await call('PATCH', `/api/users/${id}`, admin, { disabled: true });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ disabled: true, disabled_at: expect.any(String) });
    expect(await status(token, 'GET', '/api/me')).toBe(401);
    expect(await status(apiToken, 'GET', '/api/me')).toBe(401);
  });

  it('tells only someone with the right password that the user is disabled', async () => {
    const id = await createUser('dave', 'viewer');
    await call('PATCH', `/api/users/${id}`, admin, { disabled: true });
    const right = await login('dave');
    expect(right.statusCode).toBe(403);
    expect(right.json()).toMatchObject({ code: 'AKM_USER_DISABLED' });
    const wrong = await login('dave', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'AKM_AUTH_INVALID_CREDENTIALS' });
  });

  it('can be undone: the user logs in again and its tokens work again', async () => {
    const id = await createUser('erin', 'viewer');
    const apiToken = await ownToken(await session('erin'));
    await call('PATCH', `/api/users/${id}`, admin, { disabled: true });
    const enabled = await call('PATCH', `/api/users/${id}`, admin, { disabled: false });
    expect(enabled.json()).toMatchObject({ disabled: false, disabled_at: null });
    expect((await login('erin')).statusCode).toBe(200);
    expect(await status(apiToken, 'GET', '/api/me')).toBe(200);
  });
});

describe('an admin setting a password', () => {
  it("ends the user's sessions; the new password logs in, the old one does not", async () => {
    const id = await createUser('paula', 'viewer');
    const token = await session('paula');
    const before = (await call('GET', `/api/users/${id}`, admin)).json<{
      password_changed_at: string;
    }>();
    host.clock.advance(1000);
    const changed = await call('PATCH', `/api/users/${id}`, admin, { password: 'new password!' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<{ password_changed_at: string }>().password_changed_at).not.toBe(
      before.password_changed_at,
    );
    expect(await status(token, 'GET', '/api/me')).toBe(401);
    expect((await login('paula')).statusCode).toBe(401);
    expect((await login('paula', 'new password!')).statusCode).toBe(200);
  });
});

describe('the last enabled admin', () => {
  it('cannot be demoted or disabled (409 AKM_LAST_ADMIN), unlike one of two', async () => {
    for (const change of [{ role: 'responder' }, { disabled: true }]) {
      const refused = await call('PATCH', `/api/users/${adminId}`, admin, change);
      expect(refused.statusCode, JSON.stringify(change)).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'AKM_LAST_ADMIN' });
    }
    const second = await createUser('ada', 'admin');
    const disabled = await call('PATCH', `/api/users/${second}`, admin, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    // A disabled admin does not count: the first one is still the last enabled admin.
    const refused = await call('PATCH', `/api/users/${adminId}`, admin, { role: 'viewer' });
    expect(refused.json()).toMatchObject({ code: 'AKM_LAST_ADMIN' });
    expect((await call('GET', '/api/me', admin)).json()).toMatchObject({ role: 'admin' });
  });
});

describe("an admin and a user's sessions", () => {
  it('lists them with client address and user agent, never their tokens', async () => {
    const id = await createUser('sam', 'viewer');
    const fromCurl = await login('sam', password, {
      headers: { 'user-agent': 'curl/8.5.0' },
      remoteAddress: '203.0.113.7',
    });
    const fromBrowser = await login('sam', password, {
      headers: { 'user-agent': 'Mozilla/5.0 Firefox/128.0' },
      remoteAddress: '198.51.100.20',
    });
    const list = await call('GET', `/api/users/${id}/sessions`, admin);
    expect(list.statusCode).toBe(200);
    const rows = list.json<{ data: { client_address: string; user_agent: string }[] }>().data;
    expect(rows.map((row) => [row.client_address, row.user_agent]).sort()).toEqual([
      ['198.51.100.20', 'Mozilla/5.0 Firefox/128.0'],
      ['203.0.113.7', 'curl/8.5.0'],
    ]);
    for (const response of [fromCurl, fromBrowser]) {
      expect(list.body).not.toContain(response.json<{ token: string }>().token);
    }
  });

  it('ends all of them, saying how many', async () => {
    const id = await createUser('nina', 'viewer');
    const tokens = [await session('nina'), await session('nina')];
    const ended = await call('DELETE', `/api/users/${id}/sessions`, admin);
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ ended: 2 });
    for (const token of tokens) expect(await status(token, 'GET', '/api/me')).toBe(401);
    const list = await call('GET', `/api/users/${id}/sessions`, admin);
    expect(list.json()).toEqual({ data: [] });
    const unknown = await call('DELETE', `/api/users/${randomUUID()}/sessions`, admin);
    expect(unknown.statusCode).toBe(404);
  });
});

describe('a user and their own session', () => {
  it('logging out ends only that session', async () => {
    await createUser('luke', 'viewer');
    const [first, second] = [await session('luke'), await session('luke')];
    expect((await call('POST', '/auth/logout', first)).statusCode).toBe(204);
    expect(await status(first, 'GET', '/api/me')).toBe(401);
    expect(await status(second, 'GET', '/api/me')).toBe(200);
  });

  it('a wrong current password is 403 AKM_PASSWORD_INCORRECT and changes nothing', async () => {
    await createUser('wendy', 'viewer');
    const token = await session('wendy');
    const refused = await call('POST', '/auth/password', token, {
      current_password: 'not my password',
      new_password: 'another password',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AKM_PASSWORD_INCORRECT' });
    expect(await status(token, 'GET', '/api/me')).toBe(200);
    expect((await login('wendy')).statusCode).toBe(200);
  });

  it('the right one ends every session of the user and answers with a working new one', async () => {
    await createUser('rita', 'viewer');
    const [first, second] = [await session('rita'), await session('rita')];
    const changed = await call('POST', '/auth/password', first, {
      current_password: password,
      new_password: 'another password',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const fresh = changed.json<{ token: string }>().token;
    expect(fresh).toMatch(/^aks_/);
    for (const old of [first, second]) expect(await status(old, 'GET', '/api/me')).toBe(401);
    expect((await call('GET', '/api/me', fresh)).json()).toMatchObject({ name: 'rita' });
    expect((await login('rita')).statusCode).toBe(401);
    expect((await login('rita', 'another password')).statusCode).toBe(200);
  });

  it('an API token cannot log out or change a password (403 AKM_SESSION_REQUIRED)', async () => {
    await createUser('tina', 'viewer');
    const apiToken = await ownToken(await session('tina'));
    const logout = await call('POST', '/auth/logout', apiToken);
    const change = await call('POST', '/auth/password', apiToken, {
      current_password: password,
      new_password: 'another password',
    });
    for (const response of [logout, change]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'AKM_SESSION_REQUIRED' });
    }
    expect((await login('tina')).statusCode).toBe(200);
  });
});

describe('the operator audit', () => {
  it('shows user changes with who made them, never a password or a body', async () => {
    const id = await createUser('audrey', 'viewer', 'audrey first password');
    await call('PATCH', `/api/users/${id}`, admin, { role: 'responder', email: 'a@example.com' });
    const own = await session('audrey', 'audrey first password');
    const changed = await call('POST', '/auth/password', own, {
      current_password: 'audrey first password',
      new_password: 'audrey second password',
    });
    await call('POST', '/auth/logout', changed.json<{ token: string }>().token);
    await call('DELETE', `/api/users/${id}/sessions`, admin);

    const audit = await call('GET', '/api/audit?limit=500', admin);
    expect(audit.statusCode).toBe(200);
    const entries = audit.json<{
      data: { actor_name: string; actor_id: string; action: string; target: object }[];
    }>().data;
    const mine = entries.filter(
      (e) => e.actor_id === id || JSON.stringify(e.target) === JSON.stringify({ id }),
    );
    expect(mine.map((e) => [e.actor_name, e.action]).reverse()).toEqual([
      ['admin', 'PATCH /api/users/:id'],
      ['audrey', 'POST /auth/login'],
      ['audrey', 'POST /auth/password'],
      ['audrey', 'POST /auth/logout'],
      ['admin', 'DELETE /api/users/:id/sessions'],
    ]);
    expect(entries).toContainEqual(
      expect.objectContaining({ actor_name: 'admin', action: 'POST /api/users', status: 201 }),
    );
    expect(audit.body).not.toMatch(/audrey (first|second) password|a@example\.com|responder/);
    const byAudrey = await call('GET', `/api/audit?actor_id=${id}`, admin);
    expect(byAudrey.json<{ data: unknown[] }>().data, 'login, password, logout').toHaveLength(3);
  });
});

describe('approvals', () => {
  it('record the id of the user who decided, or of the creator of the token that did', async () => {
    const id = await createUser('alan', 'responder');
    const approvalIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const [row] = (await host.database
        .knex('approvals')
        .insert({
          run_id: `run-${i}`,
          incident_id: randomUUID(),
          tool_instance_id: randomUUID(),
          tool: 'execute_command',
          summary: 'restart nginx',
          details: '{}',
          created_at: host.clock.now(),
          expires_at: new Date(host.clock.now().getTime() + 600_000),
        })
        .returning('id')) as { id: string }[];
      approvalIds.push(row!.id);
    }
    const token = await session('alan');
    const byUser = await call('POST', `/api/approvals/${approvalIds[0]}/approve`, token, {});
    expect(byUser.statusCode, byUser.body).toBe(200);
    expect(byUser.json()).toMatchObject({ decided_by: 'user:alan', decided_by_user_id: id });
    const apiToken = await ownToken(token, { name: 'approver' });
    const byToken = await call('POST', `/api/approvals/${approvalIds[1]}/deny`, apiToken, {});
    expect(byToken.json()).toMatchObject({
      status: 'denied',
      decided_by: 'api_token:approver',
      decided_by_user_id: id,
    });
  });
});
