import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TestHost } from '@akmatori/host/testing';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { AppTokens, resolve } from '../../src/container.js';
import type { AkmatoriApp } from '../../src/index.js';
import { CLOSE_CREDENTIAL_REVOKED } from '../../src/runs/event-socket.js';
import { RunRecorder } from '../../src/runs/run-recorder.js';
import { bearer } from '../helpers.js';

/** A client of `/ws/events`: what it received, and how it ended. */
export interface EventSubscriber {
  readonly socket: WebSocket;
  /** The `text` of every `agent.message` event received, in order. */
  readonly texts: string[];
  /** The type of every incident change received (`incident.created`, ...), in order. */
  readonly incidents: string[];
  /** Settles with the close code and reason once the socket is closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** What the server answered instead of upgrading. */
export interface UpgradeRefusal {
  readonly status: number;
  readonly body: { statusCode?: number; error?: string; code?: string; message?: string };
}

/** Where `/ws/events` of an app listening on a loopback port is. */
export async function listenForEvents(app: AkmatoriApp): Promise<string> {
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  return `ws://127.0.0.1:${(app.server.server.address() as AddressInfo).port}/ws/events`;
}

/** Opens `/ws/events`; fails with the server's answer when it refuses the upgrade. */
export function subscribe(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventSubscriber> {
  const socket = new WebSocket(url, { headers });
  const texts: string[] = [];
  const incidents: string[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as {
      kind: 'run' | 'incident';
      type?: string;
      event?: { type: string; text?: string };
    };
    if (message.kind === 'incident') incidents.push(message.type ?? '');
    else if (message.event?.type === 'agent.message') texts.push(message.event.text ?? '');
  });
  const closed = new Promise<{ code: number; reason: string }>((done) =>
    socket.once('close', (code, reason) => done({ code, reason: reason.toString() })),
  );
  return new Promise((done, fail) => {
    socket.once('open', () => done({ socket, texts, incidents, closed }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        socket.terminate();
        fail(new Error(`the upgrade was refused with ${response.statusCode}: ${body}`));
      });
    });
    socket.once('error', fail);
  });
}

/** Tries to open `/ws/events`; resolves with the refusal, fails when a WebSocket opens. */
export function refusal(
  url: string,
  headers: Record<string, string> = {},
): Promise<UpgradeRefusal> {
  const socket = new WebSocket(url, { headers });
  socket.on('error', () => {}); // a refused handshake reports one once terminated
  return new Promise((done, fail) => {
    socket.once('open', () => {
      socket.terminate();
      fail(new Error('the event socket opened; it should have been refused'));
    });
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        socket.terminate();
        let body: UpgradeRefusal['body'] = {};
        try {
          body = JSON.parse(text) as UpgradeRefusal['body'];
        } catch {
          body = { message: `(not JSON) ${text}` };
        }
        done({ status: response.statusCode ?? 0, body });
      });
    });
  });
}

/** Long enough for a loaded machine, well short of the 15-second periodic re-check. */
export const PROMPTLY_MS = 10_000;

/**
 * Asserts the socket was closed with 4401 for a credential that stopped working, within
 * {@link PROMPTLY_MS} of `what`.
 */
export async function closedAsRevoked(subscriber: EventSubscriber, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_done, fail) => {
    timer = setTimeout(
      () => fail(new Error(`the event socket was still open ${PROMPTLY_MS} ms after ${what}`)),
      PROMPTLY_MS,
    );
  });
  try {
    const closed = await Promise.race([subscriber.closed, late]);
    expect(closed.code, `close reason: ${closed.reason}`).toBe(CLOSE_CREDENTIAL_REVOKED);
    expect(closed.reason).toMatch(/^Invalid token/);
  } finally {
    clearTimeout(timer);
  }
}

/** A user made by the admin; its password is `password-of-<username>`. */
export interface TestUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
}

/** Creates a user through `POST /api/users`. */
export async function createUser(
  host: TestHost,
  admin: Record<string, string>,
  username: string,
  role: 'viewer' | 'responder' | 'admin' = 'viewer',
): Promise<TestUser> {
  const password = `password-of-${username}`;
  const created = await host.inject({
    method: 'POST',
    url: '/api/users',
    headers: admin,
    payload: { username, password, role },
  });
  expect(created.statusCode, created.body).toBe(201);
  return { id: created.json<{ id: string }>().id, username, password };
}

/** Logs in through `POST /auth/login` and returns the session token. */
export async function loginAs(
  host: TestHost,
  user: { username: string; password: string },
): Promise<string> {
  const response = await host.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username: user.username, password: user.password },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ token: string }>().token;
}

/** A one-time ticket for the event socket, from `POST /api/events/ticket`. */
export async function eventTicket(host: TestHost, token: string): Promise<string> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/events/ticket',
    headers: bearer(token),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ ticket: string }>().ticket;
}

/**
 * Writes `agent.message` events into one run of a throwaway incident the way a worker's
 * reports are written: stored by the app's RunRepository, then published on its
 * RunEventStream (the path `/ws/events` serves).
 */
export async function runNotes(
  host: TestHost,
  app: AkmatoriApp,
): Promise<(text: string) => Promise<void>> {
  const incidentId = randomUUID();
  const runId = randomUUID();
  await host.database.knex('incidents').insert({
    id: incidentId,
    title: 'event socket test',
    severity: 'warning',
    source_type: 'manual',
    investigate_after: host.clock.now(),
  });
  const runs = resolve(app.container, AppTokens.RunRepository);
  await runs.create({
    id: runId,
    incidentId,
    kind: 'investigation',
    prompt: 'p',
    attempt: 1,
    at: host.clock.now(),
  });
  const recorder = new RunRecorder({
    runs,
    stream: resolve(app.container, AppTokens.RunEventStream),
    runId,
    incidentId,
  });
  return (text) => recorder.next({ type: 'agent.message', text }, host.clock.now());
}
