import { execFileSync } from 'node:child_process';
import {
  message,
  slow,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// A real worker process killed in the middle of a run: `akmatori serve` starts its embedded
// worker again, which kills the Codex the dead worker left behind; the run, declared lost, is
// run again there with the real codex.

interface RunView {
  id: string;
  status: string;
  attempt: number;
  worker_id: string | null;
  error: string | null;
}

let akmatori: SpawnedAkmatori;

/** Processes whose command line names the run (its Codex works in a directory named after it). */
function codexOf(runId: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', runId], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
let model: ScriptedModel;

beforeAll(async () => {
  model = await startScriptedModel([
    [slow(120_000), message('never')],
    [message('## Summary\nDone after the crash.')],
  ]);
  akmatori = await startAkmatori({ GATEWAY_PORT: '0' });
  await akmatori.useModel(model);
}, 60_000);

afterAll(async () => {
  await akmatori?.stop();
  await model?.close();
});

describe('a worker killed mid-run', () => {
  it('loses its run, which is run again on the restarted worker', async () => {
    const { uuid } = await akmatori.api<{ uuid: string }>(
      'POST',
      '/api/incidents',
      { task: 'survive a worker crash' },
      201,
    );
    const [first] = await pollUntil(
      'the run to start and ask the model',
      async () => {
        const list = (await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${uuid}/runs`))
          .data;
        return list[0]?.status === 'running' && model.requests.length > 0 ? list : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const pid = Number(/-(\d+)-[^-]+$/.exec(first!.worker_id ?? '')?.[1]);
    expect(pid, `worker id ${first!.worker_id}`).toBeGreaterThan(0);
    expect(codexOf(first!.id).length, 'no Codex found for the run').toBeGreaterThan(0);
    // The worker process dies; the Codex it started lives on in its own process group.
    process.kill(pid, 'SIGKILL');
    const done = await pollUntil(
      'the run to be run again and finish',
      async () => {
        const list = (await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${uuid}/runs`))
          .data;
        const retry = list[1];
        return retry !== undefined && (retry.status === 'completed' || retry.status === 'failed')
          ? list
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}; model requests: ${model.requests.length}\n${akmatori
          .output()
          .split('\n')
          .filter((line) => !line.includes('request answered'))
          .join('\n')
          .slice(-5000)}`,
      );
    });
    expect(done.map((run) => [run.attempt, run.status])).toEqual([
      [1, 'failed'],
      [2, 'completed'],
    ]);
    expect(done[0]?.error).toMatch(/disappeared/);
    expect(done[1]?.worker_id).not.toBe(first!.worker_id);
    // The restarted worker killed the orphaned Codex of the lost run before taking new ones.
    expect(codexOf(first!.id), "the lost run's Codex is still running").toEqual([]);
  }, 150_000);
});
