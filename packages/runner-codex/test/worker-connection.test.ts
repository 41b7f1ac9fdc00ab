import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_PROTOCOL_VERSION, runnerCodexVersion, type RunningWorker } from '../src/index.js';
import {
  message,
  shell,
  slow,
  startFakeApi,
  startScriptedModel,
  type FakeApi,
  type ScriptedModel,
} from '../src/testing/index.js';
import { makeTempDir, type TempDir } from '@akmatori/test-support/peers/process';
import {
  WORKER_TOKEN,
  captureLog,
  oneTo,
  scriptedAssignment,
  seqsOf,
  testWorker,
  waitForEvent,
  workerCaughtUp,
} from './support/worker-kit.js';

let api: FakeApi | undefined;
let model: ScriptedModel | undefined;
let worker: RunningWorker | undefined;
let dir: TempDir | undefined;

afterEach(async () => {
  await worker?.stop();
  await api?.close();
  await model?.close();
  dir?.remove();
  worker = api = model = dir = undefined;
});

describe('a worker’s connection to the API', () => {
  it('connects with its token and says hello with its id, protocol, version and capacity', async () => {
    api = await startFakeApi({ workerToken: WORKER_TOKEN });
    dir = makeTempDir('worker-connect');
    worker = testWorker(api, dir.path, { name: 'worker-a', capacity: 3 });

    await worker.connected();

    expect(api.workers()).toEqual(['worker-a']);
    expect(await api.waitFor('hello')).toEqual({
      type: 'hello',
      protocol: WORKER_PROTOCOL_VERSION,
      workerId: 'worker-a',
      capacity: 3,
      version: runnerCodexVersion,
      running: [],
    });
  });

  it('gives up when the API answers its token with HTTP 401, logging the API’s reason', async () => {
    api = await startFakeApi({ workerToken: WORKER_TOKEN });
    dir = makeTempDir('worker-refused');
    const captured = captureLog();
    worker = testWorker(api, dir.path, {
      workerToken: 'not-the-worker-token',
      log: captured.log,
      reconnectInitialMs: 20,
    });

    await expect(worker.connected()).rejects.toThrow(
      'the API refused the worker token (HTTP 401: Unknown or revoked worker token)',
    );
    expect((await worker.refused).message).toBe(
      'the API refused the worker token (HTTP 401: Unknown or revoked worker token)',
    );
    // Long enough for several reconnects at 20 ms had the worker kept trying.
    await sleep(400);
    expect(api.refusals, 'the worker tried again with a refused token').toBe(1);
    expect(captured.text()).toContain('"level":50');
    expect(captured.text()).toContain(
      'the API refused the worker token (HTTP 401: Unknown or revoked worker token); not reconnecting',
    );
    expect(captured.text()).not.toContain('not-the-worker-token');
  });

  it('sends heartbeats listing the runs it holds', async () => {
    api = await startFakeApi({ workerToken: WORKER_TOKEN, heartbeatMs: 100 });
    model = await startScriptedModel([[slow(30_000), message('Too late.')]]);
    dir = makeTempDir('worker-heartbeat');
    worker = testWorker(api, dir.path);
    await worker.connected();

    api.startRun(scriptedAssignment(model, 'run-beat'));

    const beat = await api.waitFor('heartbeat', (candidate) => candidate.running.length > 0);
    expect(beat.running).toEqual(['run-beat']);
    expect(worker.running()).toEqual(['run-beat']);
  });

  it('reconnects after the API went away mid-run and sends again every event not acknowledged', async () => {
    api = await startFakeApi({ workerToken: WORKER_TOKEN, autoAck: false });
    model = await startScriptedModel([
      [shell('echo one')],
      [slow(1_000), message('Done after the outage.')],
    ]);
    dir = makeTempDir('worker-reconnect');
    worker = testWorker(api, dir.path);
    await worker.connected();
    const assignment = scriptedAssignment(model, 'run-outage');
    api.startRun(assignment);

    await waitForEvent(api, 'run-outage', 'command.completed');
    const acknowledged = api
      .eventMessages('run-outage')
      .find((candidate) => candidate.event.type === 'command.started')!.seq;
    api.ack('run-outage', acknowledged);
    await workerCaughtUp(api, assignment);
    const beforeOutage = seqsOf(api, 'run-outage');
    await api.close();
    const mark = api.received.length;
    await api.reopen();

    const finished = await api.waitFor(
      'run.finished',
      (candidate) => candidate.runId === 'run-outage',
    );
    const afterOutage = seqsOf(api, 'run-outage', mark);
    expect(afterOutage[0], 'the first event sent again should follow the acknowledged one').toBe(
      acknowledged + 1,
    );
    expect(afterOutage, 'the events after the outage should come in order, once each').toEqual(
      oneTo(finished.lastSeq).slice(acknowledged),
    );
    expect(
      afterOutage,
      'every event the API had received but not acknowledged should be sent again',
    ).toEqual(expect.arrayContaining(beforeOutage.filter((seq) => seq > acknowledged)));
    const events = api.events('run-outage');
    expect(events).toHaveLength(finished.lastSeq);
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'Done after the outage.' });
    expect(finished.outcome).toBe('completed');
  });
});
