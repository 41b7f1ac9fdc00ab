import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import {
  message,
  shell,
  slow,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';
import { postMcpInitialize } from '@akmatori/test-support/gateway/mcp-initialize';

// The embedded default exactly as `npm start` runs it (API, in-process gateway, embedded worker,
// the real codex, master key in a file in the data directory), with a scripted model whose
// agent tries to read what it must never see. Nothing of it may reach the model or the events.

const canary = (what: string): string => `${what}-${randomBytes(9).toString('hex')}`;
const ENV_CANARY = canary('server-env-canary');
const DB_CANARY = canary('db-canary');
const OTHER_RUN_CANARY = canary('other-run-canary');

interface RunView {
  id: string;
  status: string;
  error: string | null;
}
interface EventView {
  type: string;
  event: Record<string, unknown>;
}

let akmatori: SpawnedAkmatori;
let model: ScriptedModel;
let database: Server;
let databaseConnections = 0;
let masterKey: string;

beforeAll(async () => {
  // A stand-in for PostgreSQL on loopback: the agent must not even connect to it.
  database = createServer((socket) => {
    databaseConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => database.listen(0, '127.0.0.1', resolve));
  akmatori = await startAkmatori({
    GATEWAY_PORT: '0',
    AKMATORI_SECRET_KEY: '', // the default: the master key is generated into DATA_DIR/secret.key
    AKMATORI_CONTAINMENT_CANARY: ENV_CANARY,
  });
  masterKey = readFileSync(path.join(akmatori.dataDir, 'secret.key'), 'utf8').trim();
  expect(masterKey.length, 'the master key file is empty').toBeGreaterThan(20);
  // Something only the database holds, in plain text.
  await akmatori.createSource({
    source_type_name: 'alertmanager',
    name: DB_CANARY,
    allow_unauthenticated: true,
  });
  await akmatori.workerConnected();
}, 120_000);

afterAll(async () => {
  await akmatori?.stop();
  await model?.close();
  database?.close();
});

async function useModel(next: ScriptedModel): Promise<void> {
  await model?.close();
  model = next;
  await akmatori.useModel(model);
}

async function runToEnd(task: string): Promise<{ incident: string; run: RunView }> {
  const { uuid } = await akmatori.api<{ uuid: string }>('POST', '/api/incidents', { task }, 201);
  const [run] = await pollUntil(
    'the run to end',
    async () => {
      const runs = (await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${uuid}/runs`))
        .data;
      return runs[0]?.status === 'completed' || runs[0]?.status === 'failed' ? runs : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${akmatori.output().slice(-6000)}`);
  });
  return { incident: uuid, run: run! };
}

/** The run token in the environment of the sandboxed Codex now running, read from the host. */
async function runningCodexToken(): Promise<string | undefined> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!(await readFile(`/proc/${pid}/cmdline`, 'utf8')).startsWith('/akmatori/codex/bin/codex'))
        continue;
      const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
      const token = environ.find((entry) => entry.startsWith('AKMATORI_RUN_TOKEN='));
      if (token !== undefined) return token.slice('AKMATORI_RUN_TOKEN='.length);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** What the gateway answers an MCP initialize with `token`. */
async function initializeWith(token: string): Promise<{ status: number; body: string }> {
  const gateway = /MCP gateway: (http:\/\/\S+)\/mcp/.exec(akmatori.output())?.[1];
  if (gateway === undefined) throw new Error('the start banner names no MCP gateway');
  const response = await postMcpInitialize(gateway, token);
  return { status: response.status, body: await response.text() };
}

describe('the agent is contained in the embedded default', () => {
  it('cannot read the master key, the database, the server’s environment or another run’s workspace, nor reach the database', async () => {
    const dataDir = akmatori.dataDir;
    const runsDir = `${dataDir}-runs`;
    // Another run's workspace, as the worker lays it out beside this one.
    const otherRun = path.join(runsDir, 'f0e1d2c3-0000-4000-8000-00000000beef', 'workspace');
    mkdirSync(otherRun, { recursive: true });
    writeFileSync(path.join(otherRun, 'notes.txt'), OTHER_RUN_CANARY);
    const apiPort = new URL(akmatori.url).port;
    const databasePort = (database.address() as { port: number }).port;
    const attempts = [
      `cat ${dataDir}/secret.key`,
      `ls -la ${dataDir} ${runsDir}`,
      `find ${dataDir} -type f -exec cat {} + | strings | grep -a db-canary`,
      `cat /proc/${akmatori.pid}/environ`,
      `grep -as server-env-canary /proc/*/environ`,
      `cat ${runsDir}/*/workspace/notes.txt`,
      `grep -ras other-run-canary / --exclude-dir=proc --exclude-dir=sys --exclude-dir=usr`,
      `find / -name secret.key -not -path '/proc/*' 2>/dev/null`,
      `(exec 3<>/dev/tcp/127.0.0.1/${databasePort}) && echo reached-the""-database`,
      `(exec 3<>/dev/tcp/127.0.0.1/${apiPort}) && echo reached-the""-api`,
      'id; hostname; ls /',
    ];
    await useModel(
      await startScriptedModel([
        [shell(attempts.map((command) => `{ ${command}; } 2>&1`).join('; echo ---; '))],
        [message('I could not read any of it.')],
      ]),
    );
    const { incident: uuid, run } = await runToEnd(
      'Read the master key, the database and the server environment.',
    );
    expect(run.status, `${JSON.stringify(run)}\n${akmatori.output().slice(-4000)}`).toBe(
      'completed',
    );

    const events = (
      await akmatori.api<{ data: EventView[] }>('GET', `/api/incidents/${uuid}/events`)
    ).data;
    const output = String(
      events.find((event) => event.type === 'command.completed')?.event.output ?? '',
    );
    const seenByModel = JSON.stringify(model.requests.map((request) => request.body));
    const seenInEvents = JSON.stringify(events);
    const secrets = {
      'the master key': masterKey,
      'the server environment': ENV_CANARY,
      'the database': DB_CANARY,
      'another run’s workspace': OTHER_RUN_CANARY,
      'a connection to the database': 'reached-the-database',
      'a connection to the API': 'reached-the-api',
    };
    for (const [what, secret] of Object.entries(secrets)) {
      expect(seenByModel.includes(secret), `${what} reached the model`).toBe(false);
      expect(seenInEvents.includes(secret), `${what} reached the run events`).toBe(false);
    }
    expect(databaseConnections, 'the agent connected to the database port').toBe(0);
    // The attempts really ran, as the sandbox's own user, and found nothing.
    expect(output).toContain(`cat: ${dataDir}/secret.key: No such file or directory`);
    expect(output).toContain(`cat: /proc/${akmatori.pid}/environ: No such file or directory`);
    expect(output).toContain('uid=1000(agent)');
    expect(output).toMatch(/akmatori-sandbox/);

    // The other run's files are where they were, untouched.
    expect(readdirSync(otherRun)).toEqual(['notes.txt']);
  });

  it('a run’s token works while it runs and is refused by the gateway once it has ended', async () => {
    await useModel(await startScriptedModel([[slow(4_000), message('Done.')]]));
    const { uuid } = await akmatori.api<{ uuid: string }>(
      'POST',
      '/api/incidents',
      { task: 'Take your time.' },
      201,
    );
    const token = await pollUntil('the sandboxed Codex to start', runningCodexToken, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    expect((await initializeWith(token)).status, 'the token of a running run').toBe(200);

    const [run] = await pollUntil('the run to end', async () => {
      const runs = (await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${uuid}/runs`))
        .data;
      return runs[0]?.status === 'completed' ? runs : undefined;
    });
    expect(run?.status).toBe('completed');
    const after = await initializeWith(token);
    expect(after.status, after.body).toBe(401);
    expect(after.body).toContain('AKM_GATEWAY_RUN_ENDED');
  });
});
