import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../test/peers/process.js';
import { startAkmatori, type SpawnedAkmatori } from './support/spawned-akmatori.js';

let akmatori: SpawnedAkmatori;

beforeAll(async () => {
  akmatori = await startAkmatori({ GATEWAY_PORT: '0' });
}, 60_000);

afterAll(async () => {
  await akmatori?.stop();
});

const workerIds = async (): Promise<string[]> =>
  (await akmatori.api<{ data: { worker_id: string }[] }>('GET', '/api/workers')).data.map(
    (worker) => worker.worker_id,
  );

describe('the embedded worker', () => {
  it('connects when akmatori serve starts, and is started again when it dies', async () => {
    const [first] = await pollUntil('the embedded worker to connect', async () => {
      const ids = await workerIds();
      return ids.length === 1 ? ids : undefined;
    });
    const pid = Number(/-(\d+)-[^-]+$/.exec(first!)?.[1]);
    expect(pid, `worker id ${first}`).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    const [second] = await pollUntil(
      'another embedded worker to connect',
      async () => {
        const ids = await workerIds();
        return ids.length === 1 && ids[0] !== first ? ids : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(second).not.toBe(first);
    expect(akmatori.output()).toContain('embedded worker exited');
  }, 60_000);
});

describe('the embedded worker of a server that is killed', () => {
  it('exits with it instead of lingering', async () => {
    const doomed = await startAkmatori({ GATEWAY_PORT: '0' });
    try {
      const [id] = await pollUntil('the embedded worker to connect', async () => {
        const { data } = await doomed.api<{ data: { worker_id: string }[] }>('GET', '/api/workers');
        return data.length === 1 ? data.map((worker) => worker.worker_id) : undefined;
      });
      const workerPid = Number(/-(\d+)-[^-]+$/.exec(id!)?.[1]);
      process.kill(doomed.pid, 'SIGKILL');
      await pollUntil(
        'the worker to exit',
        async () => {
          try {
            process.kill(workerPid, 0);
            return undefined;
          } catch {
            return true;
          }
        },
        { timeoutMs: 20_000 },
      );
    } finally {
      await doomed.stop();
    }
  }, 60_000);
});
