import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  lastFunctionCallOutput,
  message,
  outputText,
  shell,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pollUntil,
  startPeerProcess,
  type PeerProcess,
} from '@akmatori/test-support/peers/process';
import { cliPath } from '@akmatori/test-support/app/server-process';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// The worker container holds nothing secret but its worker token (issue 15), and the agent
// runs in that container as the worker's user (AKMATORI_AGENT_SANDBOX=container). The agent's
// shell reads its own environment and the worker's, /proc/<worker pid>/environ and cmdline:
// the token is in none of them, though the rest of the worker's environment is.

let akmatori: SpawnedAkmatori;
let worker: PeerProcess;
let model: ScriptedModel;
let workerToken: string;
const work = mkdtempSync(path.join(tmpdir(), 'akm-token-secrecy-'));

beforeAll(async () => {
  akmatori = await startAkmatori({ GATEWAY_PORT: '0', AKMATORI_EMBEDDED_WORKER: 'false' });
  ({ token: workerToken } = await akmatori.api<{ token: string }>(
    'POST',
    '/api/workers/tokens',
    { name: 'contained' },
    201,
  ));
  worker = startPeerProcess(process.execPath, [cliPath, 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: work,
      AKMATORI_API_URL: akmatori.url,
      AKMATORI_WORKER_TOKEN: workerToken,
      AKMATORI_RUNS_DIR: path.join(work, 'runs'),
      AKMATORI_AGENT_SANDBOX: 'container',
      LOG_LEVEL: 'info',
    },
  });
  await pollUntil(
    'the worker to connect',
    async () =>
      (await akmatori.api<{ data: unknown[] }>('GET', '/api/workers')).data.length > 0
        ? true
        : undefined,
    { timeoutMs: 30_000, intervalMs: 200 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${worker.output()}`);
  });
  model = await startScriptedModel([
    [
      shell(
        [
          'echo "== own environment"; env',
          `echo "== worker environ"; tr '\\0' '\\n' < /proc/${worker.pid}/environ`,
          `echo "== worker cmdline"; tr '\\0' ' ' < /proc/${worker.pid}/cmdline`,
        ].join('; '),
      ),
    ],
    [message('Looked around.')],
  ]);
  await akmatori.useModel(model);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await akmatori?.stop();
  await model?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the worker token, with the agent in the worker container', () => {
  it("is in neither the agent's environment nor the worker's /proc environ and cmdline", async () => {
    const { uuid } = await akmatori.api<{ uuid: string }>(
      'POST',
      '/api/incidents',
      { task: 'Look at the worker' },
      201,
    );
    const run = await pollUntil(
      'the run to finish',
      async () => {
        const [latest] = (
          await akmatori.api<{ data: { status: string }[] }>('GET', `/api/incidents/${uuid}/runs`)
        ).data;
        return latest?.status === 'completed' || latest?.status === 'failed' ? latest : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    expect(run.status, worker.output()).toBe('completed');

    const seen = outputText(lastFunctionCallOutput(model.requests));
    // The agent did read the worker's environment: the rest of it is there.
    expect(seen).toContain('== worker environ');
    expect(seen).toContain(`AKMATORI_API_URL=${akmatori.url}`);
    expect(seen).toContain('AKMATORI_WORKER_TOKEN=xxxx');
    expect(seen).toContain('== worker cmdline');
    expect(seen).not.toContain(workerToken);
    expect(seen).not.toContain(workerToken.slice(4, 24));
    for (const request of model.requests)
      expect(JSON.stringify(request.body)).not.toContain(workerToken);
  });
});
