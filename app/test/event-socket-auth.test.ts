import { createTestHost, type TestHost } from '@akmatori/host/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppTokens, resolve } from '../src/container.js';
import { createApp, type AkmatoriApp } from '../src/index.js';
import type { EventSocket } from '../src/runs/event-socket.js';
import { bearer, setUpAdmin } from './helpers.js';
import { eventually } from './support/eventually.js';
import {
  closedAsRevoked,
  createUser,
  eventTicket,
  listenForEvents,
  loginAs,
  refusal,
  runNotes,
  subscribe,
  type EventSubscriber,
  type TestUser,
} from './support/event-subscriber.js';

// `/ws/events` over real WebSockets against the real app listening on a loopback port
// (embedded database): who may open it, and that an open socket closes with 4401 as soon as
// what it authenticated with is revoked, while sockets on still-valid credentials stay open.

let host: TestHost;
let app: AkmatoriApp;
let url: string;
let admin: Record<string, string>;
let events: EventSocket;
let note: (text: string) => Promise<void>;
const opened: EventSubscriber[] = [];
beforeAll(async () => {
  host = await createTestHost({ app: async (boot) => (app = await createApp(boot)) });
  url = await listenForEvents(app);
  admin = bearer(await setUpAdmin(host));
  events = resolve(app.container, AppTokens.EventSocket);
  note = await runNotes(host, app);
}, 120_000);

afterEach(() => {
  for (const subscriber of opened.splice(0)) subscriber.socket.terminate();
});

afterAll(async () => {
  await host?.close();
});

/** Opens the event socket and remembers it for clean-up. */
async function open(query = '', headers: Record<string, string> = {}): Promise<EventSubscriber> {
  const subscriber = await subscribe(`${url}${query}`, headers);
  opened.push(subscriber);
  return subscriber;
}

let users = 0;
const newUser = (role: 'viewer' | 'responder' = 'viewer'): Promise<TestUser> =>
  createUser(host, admin, `operator-${++users}`, role);
const login = (user: TestUser): Promise<string> => loginAs(host, user);
const ticketFor = (token: string): Promise<string> => eventTicket(host, token);

/** Writes an event and waits until every subscriber given received it. */
async function deliveredTo(text: string, ...subscribers: EventSubscriber[]): Promise<void> {
  await note(text);
  await eventually(() => {
    for (const subscriber of subscribers) expect(subscriber.texts).toContain(text);
  });
}

/** After a full re-check pass, the socket is still open and still receives events. */
async function staysOpen(subscriber: EventSubscriber, text: string): Promise<void> {
  await events.recheck();
  expect(subscriber.socket.readyState, 'a socket on a valid credential was closed').toBe(
    WebSocket.OPEN,
  );
  await deliveredTo(text, subscriber);
}

describe('incident changes on /ws/events', () => {
  it('pushes a new incident and its state changes live, narrowed by ?incident=', async () => {
    const everything = await open('', admin);
    const created = await host.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: admin,
      payload: { task: 'look at the disk on web-1' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const uuid = created.json<{ uuid: string }>().uuid;
    await eventually(() => expect(everything.incidents).toContain('incident.created'));
    const one = await open(`?incident=${uuid}`, admin);
    const other = await open(`?incident=${crypto.randomUUID()}`, admin);
    const acknowledged = await host.inject({
      method: 'POST',
      url: `/api/incidents/${uuid}/acknowledge`,
      headers: admin,
    });
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    await eventually(() => {
      expect(one.incidents).toContain('incident.state_changed');
      expect(everything.incidents).toContain('incident.state_changed');
    });
    expect(other.incidents, 'another incident’s socket hears nothing of it').toEqual([]);
  });
});

describe('opening /ws/events', () => {
  it('opens with a session token in the Authorization header and delivers run events', async () => {
    const subscriber = await open('', admin);
    await deliveredTo('header-opened', subscriber);
  });

  it('opens with an API token in the Authorization header', async () => {
    const created = await host.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'dashboard-feed', role: 'viewer' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const subscriber = await open('', bearer(created.json<{ token: string }>().token));
    await deliveredTo('api-token-opened', subscriber);
  });

  it('opens with a ticket once; the same ticket is refused the second time', async () => {
    const ticket = await ticketFor(await login(await newUser()));
    const subscriber = await open(`?ticket=${ticket}`);
    await deliveredTo('ticket-opened', subscriber);

    const again = await refusal(`${url}?ticket=${ticket}`);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'AKM_TICKET_INVALID' });
  });

  it('refuses a ticket older than 30 seconds', async () => {
    const ticket = await ticketFor(await login(await newUser()));
    host.clock.advance(31_000);
    const late = await refusal(`${url}?ticket=${ticket}`);
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ code: 'AKM_TICKET_INVALID' });
  });

  it('refuses an unknown ticket', async () => {
    const unknown = await refusal(`${url}?ticket=akt_not-a-ticket`);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: 'AKM_TICKET_INVALID' });
  });

  it('refuses a ticket whose session was logged out before it was used', async () => {
    const token = await login(await newUser());
    const ticket = await ticketFor(token);
    const out = await host.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) });
    expect(out.statusCode, out.body).toBe(204);
    const refused = await refusal(`${url}?ticket=${ticket}`);
    expect(refused.status).toBe(401);
    // The session's tickets end with it.
    expect(refused.body).toMatchObject({ code: 'AKM_TICKET_INVALID' });
  });

  it('refuses a ticket whose API token was revoked before it was used', async () => {
    const minted = await host.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'short-lived-feed', role: 'viewer' },
    });
    expect(minted.statusCode, minted.body).toBe(201);
    const { id, token } = minted.json<{ id: string; token: string }>();
    const ticket = await ticketFor(token);
    const deleted = await host.inject({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: admin,
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const refused = await refusal(`${url}?ticket=${ticket}`);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'AKM_AUTH_INVALID_TOKEN' });
  });

  it('refuses a valid token in ?access_token=, alone or beside a ticket or a header', async () => {
    const token = await login(await newUser());
    const alone = await refusal(`${url}?access_token=${token}`);
    expect(alone.status).toBe(401);
    expect(alone.body.code).toMatch(/^AKM_/);
    // The token is still good: only its place in the URL was refused.
    expect(
      (await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode,
    ).toBe(200);

    const besideTicket = await refusal(
      `${url}?ticket=${await ticketFor(token)}&access_token=${token}`,
    );
    expect(besideTicket.status).toBe(401);
    const besideHeader = await refusal(`${url}?access_token=${token}`, bearer(token));
    expect(besideHeader.status).toBe(401);
  });

  it('refuses a request without any credential, and one with a bad token', async () => {
    const none = await refusal(url);
    expect(none.status).toBe(401);
    // The app's error JSON, as every other 401 answers it.
    expect(none.body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'AKM_AUTH_REQUIRED',
    });
    const bad = await refusal(url, bearer('aks_not-a-session'));
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 'AKM_AUTH_INVALID_TOKEN' });
  });
});

describe('an open /ws/events socket whose credential is revoked', () => {
  it('closes with 4401 when its session logs out; the same user’s other session stays open', async () => {
    const user = await newUser();
    const token = await login(user);
    const revoked = await open('', bearer(token));
    const bystander = await open(`?ticket=${await ticketFor(await login(user))}`);
    await deliveredTo('before-logout', revoked, bystander);

    const out = await host.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) });
    expect(out.statusCode, out.body).toBe(204);

    await closedAsRevoked(revoked, 'POST /auth/logout');
    await staysOpen(bystander, 'after-logout');
    expect(revoked.texts).not.toContain('after-logout');
  });

  it('closes with 4401 when its user changes the password; a socket on the new session opens', async () => {
    const user = await newUser();
    const token = await login(user);
    const revoked = await open(`?ticket=${await ticketFor(token)}`);
    const bystander = await open('', admin);
    await deliveredTo('before-password', revoked, bystander);

    const changed = await host.inject({
      method: 'POST',
      url: '/auth/password',
      headers: bearer(token),
      payload: { current_password: user.password, new_password: 'a brand new password' },
    });
    expect(changed.statusCode, changed.body).toBe(200);

    await closedAsRevoked(revoked, 'POST /auth/password');
    await staysOpen(bystander, 'after-password');
    const renewed = await open('', bearer(changed.json<{ token: string }>().token));
    await deliveredTo('on-the-new-session', renewed);
  });

  it("closes with 4401 when an admin ends the user's sessions; another user's socket stays open", async () => {
    const user = await newUser('responder');
    const first = await open('', bearer(await login(user)));
    const second = await open(`?ticket=${await ticketFor(await login(user))}`);
    const bystander = await open('', bearer(await login(await newUser())));
    await deliveredTo('before-ending', first, second, bystander);

    const ended = await host.inject({
      method: 'DELETE',
      url: `/api/users/${user.id}/sessions`,
      headers: admin,
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toEqual({ ended: 2 });

    await closedAsRevoked(first, 'DELETE /api/users/{id}/sessions');
    await closedAsRevoked(second, 'DELETE /api/users/{id}/sessions');
    await staysOpen(bystander, 'after-ending');
  });

  it('closes with 4401 when an admin disables the user, for its session and its API token', async () => {
    const user = await newUser('responder');
    const token = await login(user);
    const minted = await host.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(token),
      payload: { name: 'responder-feed' },
    });
    expect(minted.statusCode, minted.body).toBe(201);
    const session = await open('', bearer(token));
    const apiToken = await open('', bearer(minted.json<{ token: string }>().token));
    const bystander = await open('', admin);
    await deliveredTo('before-disabling', session, apiToken, bystander);

    const disabled = await host.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: admin,
      payload: { disabled: true },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);

    await closedAsRevoked(session, 'PATCH /api/users/{id} {disabled: true}');
    await closedAsRevoked(apiToken, 'PATCH /api/users/{id} {disabled: true}');
    await staysOpen(bystander, 'after-disabling');
  });

  it("stays open when its user's role changes, and keeps delivering", async () => {
    const user = await newUser('responder');
    const subscriber = await open('', bearer(await login(user)));
    const demoted = await host.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: admin,
      payload: { role: 'viewer' },
    });
    expect(demoted.statusCode, demoted.body).toBe(200);
    await staysOpen(subscriber, 'after-demotion');
  });

  it('closes with 4401 when its API token is revoked; its creator’s session socket stays open', async () => {
    const token = await login(await newUser());
    const minted = await host.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(token),
      payload: { name: 'viewer-feed' },
    });
    expect(minted.statusCode, minted.body).toBe(201);
    const { id, token: apiToken } = minted.json<{ id: string; token: string }>();
    const revoked = await open('', bearer(apiToken));
    const bystander = await open('', bearer(token));
    await deliveredTo('before-token-revoked', revoked, bystander);

    const deleted = await host.inject({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: bearer(token),
    });
    expect(deleted.statusCode, deleted.body).toBe(204);

    await closedAsRevoked(revoked, 'DELETE /api/tokens/{id}');
    await staysOpen(bystander, 'after-token-revoked');
  });
});
