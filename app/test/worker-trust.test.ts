import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestHost, type TestHost } from '@akmatori/host/testing';
import { WORKER_PROTOCOL_VERSION, type WorkerMessage } from '@akmatori/runner-codex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type AkmatoriApp } from '../src/index.js';
import { bearer, capturedLogger, setUpAdmin } from './helpers.js';
import { eventually } from './support/eventually.js';
import { cliPath } from '@akmatori/test-support/app/server-process';

// The worker hub over real WebSockets against the real app (embedded database, the app
// listening on a loopback port): which workers get in, and what they may report.

interface ApiMessage {
  type: string;
  runId?: string;
  run?: { runId: string; incidentId: string };
  seq?: number;
}

/** A hand-driven worker: says hello, then the test decides what it sends. */
interface TestWorker {
  readonly socket: WebSocket;
  send(message: WorkerMessage | Record<string, unknown>): void;
  /** The first message from the API (now or before) of `type` that `where` accepts. */
  next(type: string, where?: (message: ApiMessage) => boolean): Promise<ApiMessage>;
  /** Resolves with the close code and reason once the socket is closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

let host: TestHost;
let app: AkmatoriApp;
let socketUrl: string;
let admin: Record<string, string>;
let log: ReturnType<typeof capturedLogger>;
const sockets: WebSocket[] = [];

/** Boots the app for the tests of one `describe` (they use distinct tokens and worker ids). */
function useApp(): void {
  beforeAll(async () => {
    log = capturedLogger();
    host = await createTestHost({
      log: log.log,
      app: async (boot) => (app = await createApp(boot)),
    });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    socketUrl = `ws://127.0.0.1:${(app.server.server.address() as AddressInfo).port}/ws/worker`;
    admin = bearer(await setUpAdmin(host));
    const llm = await host.inject({
      method: 'PUT',
      url: '/api/settings/llm',
      headers: admin,
      payload: {
        provider: 'openai-compatible',
        base_url: 'http://127.0.0.1:9/v1',
        api_key: 'sk-unused',
        model: 'scripted-model',
      },
    });
    expect(llm.statusCode, llm.body).toBe(200);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.terminate();
  });
  afterAll(async () => {
    await host?.close();
  });
}

async function createToken(name: string): Promise<{ id: string; token: string }> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/workers/tokens',
    headers: admin,
    payload: { name },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; token: string }>();
}

async function revoke(id: string): Promise<void> {
  const response = await host.inject({
    method: 'DELETE',
    url: `/api/workers/tokens/${id}`,
    headers: admin,
  });
  expect(response.statusCode, response.body).toBe(204);
}

/** Tries the upgrade; resolves with the HTTP refusal, or fails when a WebSocket opens. */
async function refusedUpgrade(
  headers: Record<string, string>,
): Promise<{ status: number; body: { code: string; message: string } }> {
  const socket = new WebSocket(socketUrl, { headers });
  sockets.push(socket);
  socket.on('error', () => {}); // terminating a refused handshake reports one
  return new Promise((resolve, reject) => {
    socket.once('open', () => reject(new Error('the hub opened a WebSocket')));
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        socket.terminate();
      });
    });
  });
}

/** Opens a socket with `token`, says hello as `workerId`, and waits for the welcome. */
async function connectWorker(token: string, workerId: string): Promise<TestWorker> {
  const worker = openWorker(token);
  await new Promise((resolve, reject) => {
    worker.socket.once('open', resolve);
    worker.socket.once('error', reject);
  });
  worker.send(hello(workerId));
  await worker.next('welcome');
  return worker;
}

function hello(workerId: string): WorkerMessage {
  return {
    type: 'hello',
    protocol: WORKER_PROTOCOL_VERSION,
    workerId,
    capacity: 1,
    version: 'test',
    running: [],
  };
}

function openWorker(token: string): TestWorker {
  const socket = new WebSocket(socketUrl, { headers: { authorization: `Bearer ${token}` } });
  sockets.push(socket);
  const received: ApiMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    received.push(JSON.parse(String(data)) as ApiMessage);
    for (const wake of [...waiters]) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return {
    socket,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    next: (type, where = () => true) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = received.find((message) => message.type === type && where(message));
          if (found === undefined) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
        void closed.then(({ code, reason }) => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          reject(new Error(`closed (${code} ${reason}) before a ${type} message came`));
        });
      }),
  };
}

async function incident(task: string): Promise<string> {
  const response = await host.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: admin,
    payload: { task },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ uuid: string }>().uuid;
}

/** Waits for `run.start`, accepts the run and returns its id. */
async function takeRun(worker: TestWorker): Promise<string> {
  const start = await worker.next('run.start');
  const runId = start.run!.runId;
  worker.send({ type: 'run.accepted', runId });
  return runId;
}

/** Sends one event and the end of the run, and waits until the API has closed it. */
async function complete(worker: TestWorker, runId: string, summary: string): Promise<void> {
  worker.send(event(runId, 1, { type: 'run.completed', summary }));
  worker.send({ type: 'run.finished', runId, outcome: 'completed', lastSeq: 1 });
  await worker.next('run.closed', (message) => message.runId === runId);
}

function event(runId: string, seq: number, runEvent: Record<string, unknown>): WorkerMessage {
  return {
    type: 'run.event',
    runId,
    seq,
    at: new Date().toISOString(),
    event: runEvent,
  } as WorkerMessage;
}

async function runsOf(
  uuid: string,
): Promise<{ id: string; status: string; error: string | null }[]> {
  const response = await host.inject({
    method: 'GET',
    url: `/api/incidents/${uuid}/runs`,
    headers: admin,
  });
  return response.json<{ data: { id: string; status: string; error: string | null }[] }>().data;
}

async function storedEvents(runId: string): Promise<unknown[]> {
  const rows = await host.database.knex('run_events').where({ run_id: runId }).select('event');
  return rows.map((row: { event: unknown }) => row.event);
}

describe('who may connect to the worker hub', () => {
  useApp();

  it('refuses an upgrade without a token with HTTP 401 and a JSON reason, before any WebSocket', async () => {
    const { status, body } = await refusedUpgrade({});
    expect(status).toBe(401);
    expect(body.code).toBe('AKM_WORKER_TOKEN_INVALID');
    expect(body.message).toMatch(/no worker token/);
  });

  it('refuses an unknown token with HTTP 401', async () => {
    const { status, body } = await refusedUpgrade({
      authorization: 'Bearer akw_not-a-token-anyone-created-0123456789',
    });
    expect(status).toBe(401);
    expect(body.message).toMatch(/unknown or revoked worker token/);
  });

  it('refuses a revoked token with HTTP 401', async () => {
    const { id, token } = await createToken('old-box');
    await revoke(id);
    const { status, body } = await refusedUpgrade({ authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(body.message).toMatch(/unknown or revoked worker token/);
  });

  it('lets a worker in with its token and lists it with that token, never the value', async () => {
    const { id, token } = await createToken('rack-7');
    await connectWorker(token, 'worker-rack-7');

    const workers = await host.inject({ method: 'GET', url: '/api/workers', headers: admin });
    expect(workers.json<{ data: unknown[] }>().data).toContainEqual(
      expect.objectContaining({ worker_id: 'worker-rack-7', token_id: id, token_name: 'rack-7' }),
    );
    const tokens = await host.inject({ method: 'GET', url: '/api/workers/tokens', headers: admin });
    expect(tokens.body).not.toContain(token);
    expect(tokens.json<{ data: unknown[] }>().data).toContainEqual(
      expect.objectContaining({
        id,
        name: 'rack-7',
        token_prefix: token.slice(0, 10),
        revoked_at: null,
        last_used_at: expect.any(String),
        connected_workers: ['worker-rack-7'],
      }),
    );
  });
});

describe('revoking a worker token', () => {
  useApp();

  it('disconnects its worker at once and runs its run again on another worker', async () => {
    const doomed = await createToken('doomed');
    const spare = await createToken('spare');
    const a = await connectWorker(doomed.token, 'worker-a');
    const uuid = await incident('survive a revocation');
    const lost = await takeRun(a);
    await eventually(async () => expect((await runsOf(uuid))[0]?.status).toBe('running'));

    await revoke(doomed.id);

    expect(await a.closed).toEqual({ code: 4401, reason: 'worker token revoked' });
    const b = await connectWorker(spare.token, 'worker-b');
    const retried = await takeRun(b);
    expect(retried).not.toBe(lost);
    await complete(b, retried, 'Done on the spare worker.');
    const runs = await eventually(async () => {
      const list = await runsOf(uuid);
      expect(list.map((run) => run.status)).toEqual(['failed', 'completed']);
      return list;
    });
    expect(runs[0]?.error).toBe(
      `worker worker-a was disconnected during run ${lost}: worker token revoked`,
    );
  });
});

describe('what a worker may report', () => {
  useApp();

  it('drops events and the end of a run given to another worker; that run goes on unaffected', async () => {
    const a = await connectWorker((await createToken('a')).token, 'worker-a');
    const uuid = await incident('the real one');
    const runId = await takeRun(a);
    const b = await connectWorker((await createToken('b')).token, 'worker-b');

    b.send({ type: 'run.accepted', runId });
    b.send(event(runId, 1, { type: 'run.completed', summary: 'FORGED' }));
    b.send({ type: 'run.finished', runId, outcome: 'completed', lastSeq: 1 });
    await b.next('run.closed', (message) => message.runId === runId);

    expect(await storedEvents(runId)).toEqual([]);
    expect((await runsOf(uuid))[0]?.status).toBe('running');
    expect(log.text()).toContain('worker report dropped: the run belongs to another worker');
    expect(log.text()).toContain('worker report dropped: the run was not offered to this worker');
    expect(b.socket.readyState, 'the hub closed the honest-looking socket').toBe(WebSocket.OPEN);

    await complete(a, runId, 'The real summary.');
    await eventually(async () => expect((await runsOf(uuid))[0]?.status).toBe('completed'));
    expect(await storedEvents(runId)).toEqual([
      { type: 'run.completed', summary: 'The real summary.' },
    ]);
  });

  it('drops a report about a run id nobody was given', async () => {
    const b = await connectWorker((await createToken('c')).token, 'worker-c');
    const forged = randomUUID();

    b.send(event(forged, 1, { type: 'agent.message', text: 'made up' }));
    await b.next('run.closed', (message) => message.runId === forged);

    expect(await storedEvents(forged)).toEqual([]);
    expect(log.text()).toContain(
      'worker report dropped: no such run is going (closed, or never given to any worker)',
    );
  });

  it('refuses a hello with the id of a worker connected under another token; the first keeps its run', async () => {
    const a = await connectWorker((await createToken('d')).token, 'worker-d');
    const uuid = await incident('keep me');
    const runId = await takeRun(a);
    const impostor = openWorker((await createToken('impostor')).token);
    await new Promise((resolve) => impostor.socket.once('open', resolve));

    impostor.send(hello('worker-d'));

    expect(await impostor.closed).toEqual({
      code: 4403,
      reason: 'worker id in use under another worker token',
    });
    const workers = await host.inject({ method: 'GET', url: '/api/workers', headers: admin });
    expect(workers.json<{ data: unknown[] }>().data).toContainEqual(
      expect.objectContaining({ worker_id: 'worker-d', token_name: 'd', running: 1 }),
    );
    await complete(a, runId, 'Still mine.');
    await eventually(async () => expect((await runsOf(uuid))[0]?.status).toBe('completed'));
  });
});

describe('messages the hub refuses', () => {
  useApp();

  it.each([
    ['not JSON', '{"type": "heartbeat", ', 'not JSON'],
    [
      'an event missing a field',
      {
        type: 'run.event',
        runId: 'r1',
        seq: 1,
        at: new Date().toISOString(),
        event: { type: 'agent.message' },
      },
      "invalid run.event: /event must have required property 'text'",
    ],
    [
      'an unknown field',
      { type: 'heartbeat', running: [], cpu: 99 },
      'invalid heartbeat: (message) must NOT have additional properties',
    ],
    [
      'an unknown message type',
      { type: 'run.steal', runId: 'r1' },
      'unknown message type run.steal',
    ],
    [
      'an event of an unknown type',
      {
        type: 'run.event',
        runId: 'r1',
        seq: 1,
        at: new Date().toISOString(),
        event: { type: 'rm' },
      },
      'invalid run.event: /event has an unknown type',
    ],
    ['a second hello', 'hello', 'hello sent twice'],
  ])('closes the connection on %s (4422, with the reason)', async (what, message, reason) => {
    const workerId = `worker-${what.replaceAll(' ', '-')}`;
    const worker = await connectWorker((await createToken(what)).token, workerId);
    worker.socket.send(
      message === 'hello'
        ? JSON.stringify(hello(workerId))
        : typeof message === 'string'
          ? message
          : JSON.stringify(message),
    );
    const closed = await worker.closed;
    expect(closed.code).toBe(4422);
    expect(closed.reason.startsWith(reason), `reason: ${closed.reason}`).toBe(true);
    expect(log.text()).toContain('worker message refused: closing the connection');
  });

  it('closes the connection on anything before hello', async () => {
    const worker = openWorker((await createToken('early')).token);
    await new Promise((resolve) => worker.socket.once('open', resolve));
    worker.send({ type: 'heartbeat', running: [] });
    expect(await worker.closed).toEqual({ code: 4422, reason: 'heartbeat before hello' });
  });

  it('refuses an event over the event size limit (1009) without storing it', async () => {
    const worker = await connectWorker((await createToken('big')).token, 'worker-big');
    const uuid = await incident('big output');
    const runId = await takeRun(worker);

    worker.send(event(runId, 1, { type: 'agent.message', text: 'x'.repeat(3 * 1024 * 1024) }));

    const closed = await worker.closed;
    expect(closed.code).toBe(1009);
    expect(closed.reason).toMatch(
      /^a run\.event message of \d+ bytes is over its limit of 2097152$/,
    );
    expect(await storedEvents(runId)).toEqual([]);
    expect((await runsOf(uuid))[0]?.status).toBe('running');
  });

  it('refuses a message over the largest a worker may send (24 MiB) at the socket', async () => {
    const worker = await connectWorker((await createToken('huge')).token, 'worker-huge');
    worker.socket.send(Buffer.alloc(25 * 1024 * 1024, 0x20));
    const closed = await worker.closed;
    expect(closed.code).toBe(1009);
  });
});

describe('akmatori worker refused by the API', () => {
  useApp();

  /** Starts the built `akmatori worker` against the app with `token`. */
  function startWorkerProcess(token: string): {
    exited: Promise<number | null>;
    output: () => string;
  } {
    const runsDir = mkdtempSync(path.join(tmpdir(), 'akm-refused-worker-'));
    const child = spawn(process.execPath, [cliPath, 'worker'], {
      env: {
        PATH: process.env.PATH,
        HOME: runsDir,
        AKMATORI_API_URL: socketUrl.replace('ws://', 'http://').replace('/ws/worker', ''),
        AKMATORI_WORKER_TOKEN: token,
        AKMATORI_RUNS_DIR: runsDir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        rmSync(runsDir, { recursive: true, force: true });
        resolve(code);
      }),
    );
    return { exited, output: () => output };
  }

  it('exits with status 78, saying why, when its token is unknown', async () => {
    const worker = startWorkerProcess('akw_a-token-nobody-created-0123456789abcdef');
    expect(await worker.exited, worker.output()).toBe(78);
    expect(worker.output()).toContain(
      'the API refused the worker token (HTTP 401: Worker refused: unknown or revoked worker token.',
    );
    expect(worker.output()).toContain('not reconnecting');
  });

  it('exits with status 78 once its token is revoked while it is connected', async () => {
    const { id, token } = await createToken('rack-9');
    const worker = startWorkerProcess(token);
    await eventually(async () => {
      const list = await host.inject({ method: 'GET', url: '/api/workers', headers: admin });
      expect(list.json<{ data: { token_id: string }[] }>().data).toContainEqual(
        expect.objectContaining({ token_id: id }),
      );
    }, 20_000);

    await revoke(id);

    expect(await worker.exited, worker.output()).toBe(78);
    expect(worker.output()).toContain(
      'the API refused the worker token (close code 4401: worker token revoked); not reconnecting',
    );
    expect(worker.output()).not.toContain(token);
  });
});
