import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunEvent, silentLogger } from '@akmatori/core';
import type { Database } from '@akmatori/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openTestDatabase } from '@akmatori/test-support/databases';
import type { Authenticator } from '../auth/authenticator.js';
import { Revocations } from '../auth/revocations.js';
import { EventSocket } from './event-socket.js';
import type { EventTickets } from './event-tickets.js';
import { RunEventStream } from './run-event-stream.js';
import { RunRepository } from './run-repository.js';

// Authentication is the app's (tested in app/test/auth.test.ts); here every caller is admin.
const admin = { kind: 'user', id: 'u', name: 'admin', role: 'admin', sessionId: 's' } as const;
const anyone = {
  authenticate: async () => admin,
  reauthenticate: async () => admin,
} as unknown as Authenticator;
const noTickets = {
  redeem: async () => {
    throw new Error('no tickets here');
  },
} as unknown as EventTickets;

let database: Database;
let runs: RunRepository;
let stream: RunEventStream;
let server: Server;
let url: string;
const incident = randomUUID();

beforeAll(async () => {
  database = await openTestDatabase('embedded');
  await database.migrate();
  await database.knex('incidents').insert({
    id: incident,
    title: 'interleaved',
    severity: 'warning',
    source_type: 'manual',
    investigate_after: new Date(),
  });
  runs = new RunRepository(database.knex);
  stream = new RunEventStream();
  const socket = new EventSocket({
    authenticator: anyone,
    tickets: noTickets,
    revocations: new Revocations(),
    runs,
    stream,
    log: silentLogger(),
  });
  server = createServer();
  server.on('upgrade', (req, raw, head: Buffer) => void socket.handleUpgrade(req, raw, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/events`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await database.close();
});

async function newRun(): Promise<string> {
  const id = randomUUID();
  await runs.create({
    id,
    incidentId: incident,
    kind: 'investigation',
    prompt: 'p',
    attempt: 1,
    at: new Date(),
  });
  return id;
}

async function waitFor(done: () => boolean): Promise<void> {
  const until = Date.now() + 5_000;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

const note = (text: string): RunEvent => ({ type: 'agent.message', text });

async function subscribe(after: number): Promise<{ received: string[]; socket: WebSocket }> {
  const received: string[] = [];
  const socket = new WebSocket(`${url}?after=${after}`);
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { event: { text: string } };
    received.push(message.event.text);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { received, socket };
}

describe('/ws/events', () => {
  it('replays after the cursor, then delivers live events of interleaved runs even when published out of id order', async () => {
    const a = await newRun();
    const b = await newRun();
    const stored = async (run: string, seq: number, text: string) =>
      (await runs.appendEvent({
        runId: run,
        incidentId: incident,
        seq,
        event: note(text),
        at: new Date(),
      }))!;
    const a1 = await stored(a, 1, 'a1');
    const { received, socket } = await subscribe(0);
    await waitFor(() => received.length === 1); // the replay is done: later events arrive live
    // Two runs store concurrently: b2's row gets the lower id, but a2 is published first.
    const b1 = await stored(b, 1, 'b1');
    const a2 = await stored(a, 2, 'a2');
    stream.publish(a2);
    stream.publish(b1);
    stream.publish(a1); // a late duplicate of a replayed event
    await waitFor(() => received.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 100)); // room for a wrong extra one
    socket.close();
    expect(received).toEqual(['a1', 'a2', 'b1']);
  });
});
