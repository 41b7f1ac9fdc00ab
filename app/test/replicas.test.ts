import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import {
  mcp,
  message,
  slow,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createPostgresDatabase } from '@akmatori/test-support/databases';
import {
  freePort,
  pollUntil,
  startPeerProcess,
  waitForHttpReady,
  type PeerProcess,
} from '@akmatori/test-support/peers/process';
import { sshToolSettings, startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { closedAsRevoked, type EventSubscriber } from './support/event-subscriber.js';
import {
  cliPath,
  startServerProcess,
  type ServerProcess,
} from '@akmatori/test-support/app/server-process';

// Replicas that agree (issue 15): two API processes (`akmatori serve`), two gateways
// (`akmatori gateway`) and workers (`akmatori worker`, the real codex against a scripted model)
// on one real PostgreSQL. API A tells its workers gateway 1, API B gateway 2. First only a
// worker on A runs investigations, and everything is watched and decided through B; then A is
// restarted without a worker, a worker joins B, and everything is watched and decided through A.
// An API takes investigations once a worker has connected to it, so where each run goes is
// known, and every property is checked across the processes in both directions.

const ADMIN_PASSWORD = 'replicas-admin-password';
const REPORT = [
  '## Summary',
  'web-1 was checked and a marker written after approval.',
  '## Root cause',
  'None found.',
  '## Evidence',
  '- the marker file',
  '## Actions taken',
  'Wrote a marker after approval.',
  '## Recommendations',
  'None.',
  '## Confidence',
  'high',
].join('\n');

interface Api {
  readonly name: string;
  server: ServerProcess;
  readonly env: Record<string, string>;
}

interface RunView {
  id: string;
  status: string;
  worker_id: string | null;
}
interface StoredEvent {
  id: number;
  run_id: string;
  seq: number;
  type: string;
}
interface SocketMessage {
  kind: 'run' | 'incident';
  id?: number;
  run_id?: string;
  incident_id?: string;
  seq?: number;
  type: string;
}

const work = mkdtempSync(path.join(tmpdir(), 'akm-replicas-'));
const markers = { a: path.join(work, 'marker-a'), b: path.join(work, 'marker-b') };
const stopping: (() => Promise<void>)[] = [];
let sshd: RunningSshd;
let model: ScriptedModel;
let a: Api;
let b: Api;
let token: string;
let toolId: string;
const workers: Record<string, { process: PeerProcess; id: string }> = {};

/** Calls an API as admin; fails unless it answers `expected`. */
async function call<T = unknown>(
  api: Api,
  method: string,
  route: string,
  body?: unknown,
  expected = 200,
): Promise<T> {
  const response = await fetch(`${api.server.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== expected)
    throw new Error(`${method} ${route} on API ${api.name} answered ${response.status}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function startApi(name: string, env: Record<string, string>): Promise<Api> {
  const api: Api = { name, env, server: await startServerProcess(env) };
  return api;
}

async function stopProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited();
}

async function startGateway(common: Record<string, string>): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = startPeerProcess(process.execPath, [cliPath, 'gateway'], {
    env: {
      PATH: process.env.PATH,
      HOME: work,
      ...common,
      AKMATORI_GATEWAY_IN_PROCESS: 'false',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      GATEWAY_URL: url,
    },
  });
  stopping.push(() => gateway.stop());
  await waitForHttpReady(`${url}/health`, gateway, `gateway on ${port}`);
  return url;
}

/** Starts `akmatori worker` against `api` with a new worker token; resolves once it is connected. */
async function startWorker(api: Api, name: string): Promise<void> {
  const { token: workerToken } = await call<{ token: string }>(
    api,
    'POST',
    '/api/workers/tokens',
    { name },
    201,
  );
  const runsDir = path.join(work, `runs-${name}`);
  const worker = startPeerProcess(process.execPath, [cliPath, 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: work,
      AKMATORI_API_URL: api.server.url,
      AKMATORI_WORKER_TOKEN: workerToken,
      AKMATORI_WORKER_CAPACITY: '1',
      AKMATORI_RUNS_DIR: runsDir,
      // As the worker container runs it: the container is the agent's sandbox.
      AKMATORI_AGENT_SANDBOX: 'container',
      LOG_LEVEL: 'info',
    },
  });
  stopping.push(() => worker.stop());
  const listed = await pollUntil(
    `worker ${name} to connect to API ${api.name}`,
    async () => (await call<{ data: { worker_id: string }[] }>(api, 'GET', '/api/workers')).data[0],
    { timeoutMs: 30_000, intervalMs: 200 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${worker.output()}`);
  });
  workers[name] = { process: worker, id: listed.worker_id };
}

/** A live `/ws/events` on `api`, collecting every message. */
async function watch(
  api: Api,
  query = '',
  bearer = token,
): Promise<EventSubscriber & { messages: SocketMessage[] }> {
  const socket = new WebSocket(`${api.server.url.replace('http', 'ws')}/ws/events${query}`, {
    headers: { authorization: `Bearer ${bearer}` },
  });
  const messages: SocketMessage[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as SocketMessage));
  const closed = new Promise<{ code: number; reason: string }>((done) =>
    socket.once('close', (code, reason) => done({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  stopping.push(async () => socket.close());
  return { socket, texts: [], incidents: [], closed, messages };
}

const runsOf = async (api: Api, incident: string): Promise<RunView[]> =>
  (await call<{ data: RunView[] }>(api, 'GET', `/api/incidents/${incident}/runs`)).data;

const storedEvents = async (api: Api, incident: string): Promise<StoredEvent[]> =>
  (await call<{ data: StoredEvent[] }>(api, 'GET', `/api/incidents/${incident}/events`)).data;

/** The run events of `incident` a socket received, as `run:seq:type`, in the order received. */
const runEventsSeen = (messages: readonly SocketMessage[], incident: string): string[] =>
  messages
    .filter((m) => m.kind === 'run' && m.incident_id === incident)
    .map((m) => `${m.run_id}:${m.seq}:${m.type}`);

const asSeen = (events: readonly StoredEvent[]): string[] =>
  events.map((e) => `${e.run_id}:${e.seq}:${e.type}`);

async function openIncident(api: Api, task: string): Promise<string> {
  const created = await call<{ uuid: string }>(
    api,
    'POST',
    '/api/incidents',
    { task, skills: ['disk-filling-up'] },
    201,
  );
  return created.uuid;
}

beforeAll(async () => {
  sshd = await startSshd();
  model = await startScriptedModel([
    // Held by A's worker, decided through B.
    [mcp('akmatori', 'web__execute_command', { command: `touch ${markers.a}` })],
    [message(REPORT)],
    [slow(600_000), message('never sent: cancelled first')],
    // Held by B's worker, decided through A.
    [mcp('akmatori', 'web__execute_command', { command: `touch ${markers.b}` })],
    [message(REPORT)],
    [slow(600_000), message('never sent: cancelled first')],
  ]);
  const common = {
    DATABASE_URL: await createPostgresDatabase(),
    AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
    LOG_LEVEL: 'warn',
  };
  const gateway1 = await startGateway(common);
  const gateway2 = await startGateway(common);
  const api = (gatewayUrl: string, name: string): Record<string, string> => ({
    ...common,
    ADMIN_PASSWORD,
    AKMATORI_DATA_DIR: path.join(work, `api-${name}`),
    AKMATORI_EMBEDDED_WORKER: 'false',
    AKMATORI_GATEWAY_IN_PROCESS: 'false',
    GATEWAY_URL: gatewayUrl,
  });
  // One after the other: the first applies the migrations and creates the admin.
  a = await startApi('A', api(gateway1, 'a'));
  b = await startApi('B', api(gateway2, 'b'));
  stopping.push(
    () => stopProcess(a.server),
    () => stopProcess(b.server),
  );
  const login = await fetch(`${a.server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  ({ token } = (await login.json()) as { token: string });
  await call(a, 'PUT', '/api/settings/llm', {
    provider: 'openai-compatible',
    base_url: model.baseUrl,
    api_key: 'sk-scripted-provider-key',
    model: 'scripted-model',
  });
  ({ id: toolId } = await call<{ id: string }>(
    b,
    'POST',
    '/api/tools',
    {
      tool_type_name: 'ssh',
      name: 'web',
      settings: sshToolSettings(sshd, { allowWrite: true }),
    },
    201,
  ));
  await call(a, 'PUT', '/api/skills/disk-filling-up/tools', { tool_instance_ids: [toolId] });
  await startWorker(a, 'worker-a');
}, 180_000);

afterAll(async () => {
  for (const stop of stopping.reverse()) await stop().catch(() => {});
  await model?.close();
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
}, 60_000);

/**
 * An investigation opened through `holder` and run by its worker, which asks to write (the
 * tool call waits in `holder`'s gateway): a subscriber on `watcher` sees every run event and
 * the incident's changes live, a replay on `watcher` returns them all, and the approval decided
 * on `watcher` releases the call.
 */
async function investigateAcross(
  holder: Api,
  watcher: Api,
  worker: string,
  marker: string,
): Promise<void> {
  const live = await watch(watcher);
  const incident = await openIncident(holder, `Write a marker on web-1 (${holder.name})`);

  const approval = await pollUntil(
    `the approval request, seen through API ${watcher.name}`,
    async () =>
      (
        await call<{ data: { id: string; incident_id: string }[] }>(
          watcher,
          'GET',
          '/api/approvals?status=pending',
        )
      ).data.find((request) => request.incident_id === incident),
    { timeoutMs: 90_000, intervalMs: 200 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${workers[worker]?.process.output() ?? ''}`);
  });
  expect(existsSync(marker), 'nothing is written before the approval').toBe(false);
  await call(watcher, 'POST', `/api/approvals/${approval.id}/approve`, {});

  const run = await pollUntil(
    'the investigation to finish',
    async () => {
      const [latest] = await runsOf(watcher, incident);
      return latest?.status === 'completed' || latest?.status === 'failed' ? latest : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 200 },
  );
  expect(run.status, workers[worker]?.process.output()).toBe('completed');
  expect(run.worker_id, `the run was held by the worker on API ${holder.name}`).toBe(
    workers[worker]?.id,
  );
  expect(existsSync(marker), "the approved write ran through the holder's gateway").toBe(true);

  const stored = asSeen(await storedEvents(holder, incident));
  expect(stored.at(-1)).toMatch(/:run\.completed$/);
  await pollUntil(
    `every run event live on API ${watcher.name}`,
    async () => (runEventsSeen(live.messages, incident).length >= stored.length ? true : undefined),
    { timeoutMs: 10_000, intervalMs: 100 },
  ).catch(() => undefined);
  expect(runEventsSeen(live.messages, incident), 'live on the other API').toEqual(stored);
  const changes = live.messages
    .filter((m) => m.kind === 'incident' && m.incident_id === incident)
    .map((m) => m.type);
  expect(changes).toContain('incident.created');
  expect(changes).toContain('incident.status_changed');

  const replay = await watch(watcher, `?after=0&incident=${incident}`);
  await pollUntil(
    `the replay on API ${watcher.name}`,
    async () =>
      runEventsSeen(replay.messages, incident).length >= stored.length ? true : undefined,
    { timeoutMs: 10_000, intervalMs: 100 },
  ).catch(() => undefined);
  expect(runEventsSeen(replay.messages, incident), 'replayed on the other API').toEqual(stored);
}

/** A run held by `holder`'s worker, waiting on the model, is cancelled through `other`. */
async function cancelAcross(
  holder: Api,
  other: Api,
  worker: string,
  /** How many model requests there are once this run is waiting on its (slow) answer. */
  waiting: number,
): Promise<void> {
  const incident = await openIncident(holder, `Wait for the model (${holder.name})`);
  const running = await pollUntil(
    'the run to start',
    async () => {
      const [latest] = await runsOf(other, incident);
      return latest?.status === 'running' ? latest : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  expect(running.worker_id).toBe(workers[worker]?.id);
  await pollUntil(
    'the agent to wait on the model',
    async () => (model.requests.length >= waiting ? true : undefined),
    { timeoutMs: 60_000, intervalMs: 100 },
  );

  const answer = await call<{ status: string; run: RunView | null }>(
    other,
    'POST',
    `/api/incidents/${incident}/cancel`,
  );
  expect(answer.status).toBe('cancelled');
  expect(answer.run?.id).toBe(running.id);
  expect(answer.run?.status, 'the run stopped on its worker before the cancel answered').toBe(
    'cancelled',
  );
  const [after] = await runsOf(holder, incident);
  expect(after?.status).toBe('cancelled');
  // The worker is free again: its API lists it with nothing running.
  await pollUntil(
    `the worker on API ${holder.name} to be free`,
    async () => {
      const listed = await call<{ data: { worker_id: string; running: number }[] }>(
        holder,
        'GET',
        '/api/workers',
      );
      const entry = listed.data.find((w) => w.worker_id === workers[worker]?.id);
      return entry?.running === 0 ? true : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
}

describe('replicas on one PostgreSQL: a run held through API A', () => {
  it('is seen live and replayed on B, and an approval decided on B releases the tool call waiting in gateway 1', async () => {
    await investigateAcross(a, b, 'worker-a', markers.a);
  }, 120_000);

  it('is stopped by a cancel sent to B', async () => {
    await cancelAcross(a, b, 'worker-a', 3);
  }, 90_000);

  it('a logout on A closes at once an event socket on B opened with that session', async () => {
    const login = await fetch(`${a.server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const session = ((await login.json()) as { token: string }).token;
    const socket = await watch(b, '', session);
    const out = await fetch(`${a.server.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session}` },
    });
    expect(out.status).toBeLessThan(300);
    await closedAsRevoked(socket, 'the logout on A');
  });
});

describe('replicas on one PostgreSQL: a run held through API B', () => {
  beforeAll(async () => {
    // A restarts without its worker (an API takes runs once a worker has connected to it).
    await workers['worker-a']?.process.stop();
    await stopProcess(a.server);
    a.server = await startServerProcess(a.env);
    await startWorker(b, 'worker-b');
  }, 90_000);

  it('is seen live and replayed on A, and an approval decided on A releases the tool call waiting in gateway 2', async () => {
    await investigateAcross(b, a, 'worker-b', markers.b);
  }, 120_000);

  it('is stopped by a cancel sent to A', async () => {
    await cancelAcross(b, a, 'worker-b', 6);
  }, 90_000);
});
