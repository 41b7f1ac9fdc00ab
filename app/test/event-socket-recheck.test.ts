import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@akmatori/core';
import type { Database } from '@akmatori/host';
import { createTestHost, type TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openTestDatabase } from '@akmatori/test-support/databases';
import type { Authenticator } from '../src/auth/authenticator.js';
import { AppTokens, resolve } from '../src/container.js';
import { createApp, type AkmatoriApp } from '../src/index.js';
import { EventSocket } from '../src/runs/event-socket.js';
import { bearer, setUpAdmin } from './helpers.js';
import { eventually } from './support/eventually.js';
import {
  closedAsRevoked,
  createUser,
  eventTicket,
  listenForEvents,
  loginAs,
  runNotes,
  subscribe,
  type EventSubscriber,
} from './support/event-subscriber.js';

// What `/ws/events` learns without an in-process announcement: expiry, and revocations made
// on another replica. Both are found by the socket re-check (every 15 s in production; the
// tests call EventSocket.recheck() instead of waiting). Real app, real sockets.

/** A booted, listening app with its host. */
interface Instance {
  readonly host: TestHost;
  readonly app: AkmatoriApp;
  readonly url: string;
  readonly events: EventSocket;
  readonly note: (text: string) => Promise<void>;
}

async function boot(options: Parameters<typeof createTestHost>[0] = {}): Promise<Instance> {
  const made: { app?: AkmatoriApp } = {};
  const host = await createTestHost({
    ...options,
    app: async (bootOptions) => (made.app = await createApp(bootOptions)),
  });
  const booted = made.app as AkmatoriApp;
  return {
    host,
    app: booted,
    url: await listenForEvents(booted),
    events: resolve(booted.container, AppTokens.EventSocket),
    note: await runNotes(host, booted),
  };
}

const opened: EventSubscriber[] = [];
afterAll(() => {
  for (const subscriber of opened.splice(0)) subscriber.socket.terminate();
});

async function open(
  instance: Instance,
  query = '',
  headers: Record<string, string> = {},
): Promise<EventSubscriber> {
  const subscriber = await subscribe(`${instance.url}${query}`, headers);
  opened.push(subscriber);
  return subscriber;
}

async function deliveredTo(
  instance: Instance,
  text: string,
  ...subscribers: EventSubscriber[]
): Promise<void> {
  await instance.note(text);
  await eventually(() => {
    for (const subscriber of subscribers) expect(subscriber.texts).toContain(text);
  });
}

const isOpen = (subscriber: EventSubscriber): boolean =>
  subscriber.socket.readyState === WebSocket.OPEN;

describe('expiry found by the socket re-check', () => {
  let one: Instance;
  beforeAll(async () => {
    one = await boot();
  }, 120_000);
  afterAll(async () => {
    await one?.host.close();
  });

  it('closes sockets whose session went idle past its lifetime or whose API token expired; the others stay open', async () => {
    const { host } = one;
    const admin = bearer(await setUpAdmin(host));
    const user = await createUser(host, admin, 'night-shift');
    const idleSession = await loginAs(host, user);
    const usedSession = await loginAs(host, user);
    const mint = async (name: string, expiresAt: Date | null): Promise<string> => {
      const minted = await host.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: admin,
        payload: { name, role: 'viewer', expires_at: expiresAt?.toISOString() ?? null },
      });
      expect(minted.statusCode, minted.body).toBe(201);
      return minted.json<{ token: string }>().token;
    };
    const idleMs = host.config.sessionTtlSeconds * 1000;
    const halfLifeToken = await mint(
      'half-a-session-feed',
      new Date(host.clock.now().getTime() + idleMs / 2),
    );
    const foreverToken = await mint('forever-feed', null);

    const idle = await open(one, '', bearer(idleSession));
    const used = await open(one, `?ticket=${await eventTicket(host, usedSession)}`);
    const expiring = await open(one, '', bearer(halfLifeToken));
    const forever = await open(one, '', bearer(foreverToken));
    await deliveredTo(one, 'before-expiry', idle, used, expiring, forever);

    // Nearly a whole idle lifetime later the used session is used (which renews it); two
    // minutes after that the idle one is past its lifetime, and the token long expired.
    host.clock.advance(idleMs - 60_000);
    const renewed = await host.inject({
      method: 'GET',
      url: '/api/me',
      headers: bearer(usedSession),
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    host.clock.advance(120_000);

    await one.events.recheck();
    await closedAsRevoked(idle, 'the re-check with the session past its idle lifetime');
    await closedAsRevoked(expiring, "the re-check with the API token's expiry past");
    expect(isOpen(used), 'the socket of a session in use was closed').toBe(true);
    expect(isOpen(forever), 'the socket of a token without expiry was closed').toBe(true);
    await deliveredTo(one, 'after-expiry', used, forever);
    const stale = await host.inject({
      method: 'GET',
      url: '/api/me',
      headers: bearer(idleSession),
    });
    expect(stale.statusCode).toBe(401);
  });
});

describe('two app instances on one PostgreSQL database', () => {
  const adminPassword = 'replicas-admin-password';
  let database: Database;
  let a: Instance;
  let b: Instance;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    // One database, so one secret key too: the run token signing key is stored sealed.
    const config = { adminPassword, secretKey: Buffer.alloc(32, 7).toString('base64') };
    a = await boot({ database, config });
    b = await boot({ database, config });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.host.close(), b?.host.close()]);
    await database?.close();
  });

  it("a logout on A refuses the session on B's next request and closes B's socket at B's re-check", async () => {
    const admin = { username: 'admin', password: adminPassword };
    const leaving = await loginAs(a.host, admin);
    const staying = await loginAs(a.host, admin);
    const onB = await open(b, '', bearer(leaving));
    // A ticket issued by A is taken by B: tickets live in the database.
    const bystander = await open(b, `?ticket=${await eventTicket(a.host, staying)}`);
    await deliveredTo(b, 'before-logout-on-a', onB, bystander);

    const out = await a.host.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(leaving),
    });
    expect(out.statusCode, out.body).toBe(204);

    const onBNext = await b.host.inject({
      method: 'GET',
      url: '/api/me',
      headers: bearer(leaving),
    });
    expect(onBNext.statusCode).toBe(401);
    expect(onBNext.json()).toMatchObject({
      code: 'AKM_AUTH_INVALID_TOKEN',
      message: expect.stringContaining('session has ended'),
    });

    await b.events.recheck();
    await closedAsRevoked(onB, "B's re-check after the logout on A");
    expect(isOpen(bystander), "the other session's socket on B was closed").toBe(true);
    await deliveredTo(b, 'after-logout-on-a', bystander);
  });

  it("a token revoked on A closes B's socket at B's re-check", async () => {
    const admin = bearer(await loginAs(a.host, { username: 'admin', password: adminPassword }));
    const minted = await a.host.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'replica-feed', role: 'viewer' },
    });
    expect(minted.statusCode, minted.body).toBe(201);
    const { id, token } = minted.json<{ id: string; token: string }>();
    const onB = await open(b, '', bearer(token));
    await deliveredTo(b, 'before-revoke-on-a', onB);

    const deleted = await a.host.inject({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: admin,
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    await b.events.recheck();
    await closedAsRevoked(onB, "B's re-check after the token was revoked on A");
  });
});

describe('a revocation announced while a socket is being opened', () => {
  let one: Instance;
  let server: Server;
  let gated: EventSocket;
  let authenticated: () => void;
  let release: () => void;
  const authenticating = new Promise<void>((done) => (authenticated = done));
  const released = new Promise<void>((done) => (release = done));
  beforeAll(async () => {
    one = await boot();
    // The app's own authenticator and revocations; the only addition is a pause between
    // the credential being found good and the socket being opened.
    const real = resolve(one.app.container, AppTokens.Authenticator);
    const pausing = {
      authenticate: async (header: string | undefined) => {
        const principal = await real.authenticate(header);
        authenticated();
        await released;
        return principal;
      },
      reauthenticate: (principal: Parameters<Authenticator['reauthenticate']>[0]) =>
        real.reauthenticate(principal),
    } as unknown as Authenticator;
    gated = new EventSocket({
      authenticator: pausing,
      tickets: resolve(one.app.container, AppTokens.EventTickets),
      revocations: resolve(one.app.container, AppTokens.Revocations),
      runs: resolve(one.app.container, AppTokens.RunRepository),
      stream: resolve(one.app.container, AppTokens.RunEventStream),
      log: silentLogger(),
    });
    server = createServer();
    server.on('upgrade', (req, raw, head: Buffer) => void gated.handleUpgrade(req, raw, head));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  }, 120_000);
  afterAll(async () => {
    gated?.close();
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
    await one?.host.close();
  });

  it('still closes the socket with 4401 once it opens', async () => {
    const { host } = one;
    const token = await setUpAdmin(host);
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/events`;
    const opening = subscribe(url, bearer(token));
    await authenticating;

    const out = await host.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) });
    expect(out.statusCode, out.body).toBe(204);
    await gated.recheck(); // the pass the logout started found no socket to close
    release();

    const subscriber = await opening;
    opened.push(subscriber);
    await closedAsRevoked(subscriber, 'a logout made while the socket was being opened');
  });
});
