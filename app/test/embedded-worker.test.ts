import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

let akmatori: SpawnedAkmatori;

beforeAll(async () => {
  akmatori = await startAkmatori({ GATEWAY_PORT: '0' });
}, 60_000);

afterAll(async () => {
  await akmatori?.stop();
});

/**
 * The pid in a worker id (`<host>-<pid>-<random>`), checked to be a live process of this
 * machine; fails the test when the id no longer has that shape.
 */
function workerPid(workerId: string | undefined): number {
  const match = /-(\d+)-[0-9a-f]+$/.exec(workerId ?? '');
  expect(match, `worker id ${workerId} has the shape <host>-<pid>-<random>`).not.toBeNull();
  const pid = Number(match![1]);
  expect(Number.isSafeInteger(pid) && pid > 0, `pid ${match![1]} of ${workerId}`).toBe(true);
  expect(isRunning(pid), `the worker process ${pid} is running`).toBe(true);
  return pid;
}

/** True while `pid` is a process; false once it is gone (ESRCH). Any other error fails. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

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
    process.kill(workerPid(first), 'SIGKILL');
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
      const pid = workerPid(id);
      process.kill(doomed.pid, 'SIGKILL');
      await pollUntil('the worker to exit', () => (isRunning(pid) ? undefined : true), {
        timeoutMs: 20_000,
      });
      expect(isRunning(pid), `the worker process ${pid} is gone`).toBe(false);
    } finally {
      await doomed.stop();
    }
  }, 60_000);
});
