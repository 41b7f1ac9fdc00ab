import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  message,
  slow,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { cliPath } from '@akmatori/test-support/app/server-process';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// Cancel and worker loss, on the whole system (`akmatori serve` with its embedded worker and
// the real codex binary), against scripted models that stream slowly.

interface RunView {
  id: string;
  status: string;
  attempt: number;
  worker_id: string | null;
  error: string | null;
}

let akmatori: SpawnedAkmatori;
const models: ScriptedModel[] = [];
const extraWorkers: ChildProcess[] = [];
const runsDirs: string[] = [];
const servers: SpawnedAkmatori[] = [];

beforeAll(async () => {
  akmatori = await startAkmatori({ GATEWAY_PORT: '0', AKMATORI_WORKER_CAPACITY: '2' });
  await workers(1);
}, 60_000);

afterAll(async () => {
  for (const worker of extraWorkers) worker.kill('SIGKILL');
  await akmatori?.stop();
  await Promise.all(servers.map((server) => server.stop()));
  await Promise.all(models.map((model) => model.close()));
  for (const dir of runsDirs) rmSync(dir, { recursive: true, force: true });
});

async function workers(count: number): Promise<{ worker_id: string }[]> {
  return pollUntil(`${count} connected worker(s)`, async () => {
    const { data } = await akmatori.api<{ data: { worker_id: string }[] }>('GET', '/api/workers');
    return data.length === count ? data : undefined;
  });
}

async function useModel(
  ...turns: Parameters<typeof startScriptedModel>[0][]
): Promise<ScriptedModel> {
  const model = await startScriptedModel(turns.flat() as never);
  models.push(model);
  await akmatori.api('PUT', '/api/settings/llm', {
    provider: 'openai-compatible',
    base_url: model.baseUrl,
    api_key: 'sk-scripted',
    model: 'scripted-model',
  });
  return model;
}

async function incident(task: string): Promise<string> {
  return (await akmatori.api<{ uuid: string }>('POST', '/api/incidents', { task }, 201)).uuid;
}

describe('controlling runs', () => {
  it('cancel stops a run in the middle of a model answer, within 5 s', async () => {
    const model = await useModel([[slow(60_000), message('too late')]]);
    const uuid = await incident('cancel me');
    await pollUntil(
      'the model to be asked',
      async () => (model.requests.length > 0 ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
    const answer = await akmatori.api<{ status: string; run: RunView }>(
      'POST',
      `/api/incidents/${uuid}/cancel`,
    );
    expect(answer.status).toBe('cancelled');
    expect(answer.run.status).toBe('cancelled');
    const view = await akmatori.api<{ status: string }>('GET', `/api/incidents/${uuid}`);
    expect(view.status).toBe('cancelled');
    await pollUntil('the worker slot to be free', async () => {
      const { data } = await akmatori.api<{ data: { running: number }[] }>('GET', '/api/workers');
      return data[0]?.running === 0 ? true : undefined;
    });
  }, 90_000);

  it('a run whose worker disappears is run again on another worker', async () => {
    const lossServer = await startAkmatori({
      GATEWAY_PORT: '0',
      AKMATORI_EMBEDDED_WORKER: 'false',
    });
    servers.push(lossServer);
    const workerToken = async (name: string): Promise<string> =>
      (await lossServer.api<{ token: string }>('POST', '/api/workers/tokens', { name }, 201)).token;
    const model = await startScriptedModel([[message('## Summary\nDone on the second worker.')]]);
    models.push(model);
    await lossServer.api('PUT', '/api/settings/llm', {
      provider: 'openai-compatible',
      base_url: model.baseUrl,
      api_key: 'sk-scripted',
      model: 'scripted-model',
    });
    // A worker that takes the run and then vanishes without a word (its machine died).
    const doomed = new WebSocket(`${lossServer.url.replace('http', 'ws')}/ws/worker`, {
      headers: { authorization: `Bearer ${await workerToken('doomed')}` },
    });
    const taken = new Promise<string>((resolve) => {
      doomed.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; run?: { runId: string } };
        if (message.type !== 'run.start' || message.run === undefined) return;
        doomed.send(JSON.stringify({ type: 'run.accepted', runId: message.run.runId }));
        resolve(message.run.runId);
        setTimeout(() => doomed.terminate(), 100);
      });
    });
    await new Promise((resolve) => doomed.once('open', resolve));
    doomed.send(
      JSON.stringify({
        type: 'hello',
        protocol: 1,
        workerId: 'doomed-worker',
        capacity: 1,
        version: 'test',
        running: [],
      }),
    );
    const { uuid } = await lossServer.api<{ uuid: string }>(
      'POST',
      '/api/incidents',
      { task: 'survive a worker crash' },
      201,
    );
    await taken;

    const runsDir = mkdtempSync(path.join(tmpdir(), 'akm-worker-'));
    runsDirs.push(runsDir);
    extraWorkers.push(
      spawn(process.execPath, [cliPath, 'worker'], {
        env: {
          PATH: process.env.PATH,
          HOME: runsDir,
          AKMATORI_API_URL: lossServer.url,
          AKMATORI_WORKER_TOKEN: await workerToken('spare'),
          AKMATORI_RUNS_DIR: runsDir,
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      }),
    );
    const done = await pollUntil(
      'the run to be run again and finish',
      async () => {
        const list = (
          await lossServer.api<{ data: RunView[] }>('GET', `/api/incidents/${uuid}/runs`)
        ).data;
        return list.some((run) => run.status === 'completed') ? list : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(done.map((run) => [run.attempt, run.status, run.worker_id === 'doomed-worker'])).toEqual(
      [
        [1, 'failed', true],
        [2, 'completed', false],
      ],
    );
    expect(done[0]?.error).toMatch(/disappeared/);
    const view = await lossServer.api<{ status: string }>('GET', `/api/incidents/${uuid}`);
    expect(view.status).toBe('completed');
  }, 150_000);
});
