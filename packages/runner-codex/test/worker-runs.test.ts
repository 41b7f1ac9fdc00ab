import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '@akmatori/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningWorker } from '../src/index.js';
import {
  inputMessages,
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
  scriptedAssignment,
  testWorker,
  waitForEvent,
} from './support/worker-kit.js';

let api: FakeApi | undefined;
let models: ScriptedModel[] = [];
let workers: RunningWorker[] = [];
let dir: TempDir | undefined;

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await api?.close();
  await Promise.all(models.map((model) => model.close()));
  dir?.remove();
  api = dir = undefined;
  models = [];
  workers = [];
});

async function setUp(name: string, ...scenarios: Parameters<typeof startScriptedModel>[0][]) {
  api = await startFakeApi({ workerToken: WORKER_TOKEN });
  models = await Promise.all(scenarios.map((scenario) => startScriptedModel(scenario)));
  dir = makeTempDir(name);
  return { api, models, dir: dir.path };
}

function start(worker: RunningWorker): RunningWorker {
  workers.push(worker);
  return worker;
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) =>
  events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);

describe('runs on a worker', () => {
  it('a cancelled run ends with run.failed and the outcome cancelled', async () => {
    const { api, models, dir } = await setUp('worker-cancel', [[slow(60_000), message('Late.')]]);
    const worker = start(testWorker(api, dir));
    await worker.connected();
    api.startRun(scriptedAssignment(models[0]!, 'run-cancel'));
    await waitForEvent(api, 'run-cancel', 'turn.started');

    api.cancelRun('run-cancel', 'the operator stopped it');

    const finished = await api.waitFor('run.finished');
    const events = api.events('run-cancel');
    expect(events.at(-1)).toEqual({
      type: 'run.failed',
      error: 'cancelled: the operator stopped it',
    });
    expect(finished).toMatchObject({ outcome: 'cancelled', lastSeq: events.length });
  });

  it('stopping the worker cancels its runs, sends their end, and removes their directories', async () => {
    const { api, models, dir } = await setUp('worker-stop', [[slow(60_000), message('Late.')]]);
    const worker = start(testWorker(api, dir, { name: 'stopping' }));
    await worker.connected();
    api.startRun(scriptedAssignment(models[0]!, 'run-stop'));
    await waitForEvent(api, 'run-stop', 'turn.started');
    expect(existsSync(path.join(dir, 'stopping', 'run-stop', 'workspace', 'AGENTS.md'))).toBe(true);

    await worker.stop();

    expect(await api.waitFor('run.finished')).toMatchObject({ outcome: 'cancelled' });
    expect(api.events('run-stop').at(-1)).toEqual({
      type: 'run.failed',
      error: 'cancelled: worker stopping',
    });
    expect(api.workers()).toEqual([]);
    expect(existsSync(path.join(dir, 'stopping', 'run-stop'))).toBe(false);
  });

  it('rejects a run beyond its capacity', async () => {
    const { api, models, dir } = await setUp('worker-capacity', [[slow(60_000), message('x')]]);
    const worker = start(testWorker(api, dir, { capacity: 1 }));
    await worker.connected();
    api.startRun(scriptedAssignment(models[0]!, 'run-first'));
    await api.waitFor('run.accepted');

    api.startRun(scriptedAssignment(models[0]!, 'run-second'));

    expect(await api.waitFor('run.rejected')).toEqual({
      type: 'run.rejected',
      runId: 'run-second',
      reason: 'the worker is at capacity (1 runs)',
    });
    expect(worker.running()).toEqual(['run-first']);
  });

  it('refuses to investigate, saying why, where the agent sandbox cannot start', async () => {
    const { api, models, dir } = await setUp('worker-uncontained', [[message('Never asked.')]]);
    const worker = start(testWorker(api, dir, { bwrapPath: path.join(dir, 'no-such-bwrap') }));
    await worker.connected();

    api.startRun(scriptedAssignment(models[0]!, 'run-uncontained'));

    expect(await api.waitFor('run.finished')).toMatchObject({ outcome: 'failed' });
    expect(api.events('run-uncontained')).toEqual([
      {
        type: 'run.failed',
        error: expect.stringMatching(
          /^the run could not start: the agent cannot be contained on this worker, so it does not investigate: .*bubblewrap \(bwrap\) is not installed at .*no-such-bwrap.*apt-get install bubblewrap/,
        ),
      },
    ]);
    expect(models[0]!.requests, 'the model was called by an uncontained agent').toEqual([]);
  });

  it('two runs at once see only their own workspace, files and environment', async () => {
    process.env.WORKER_DATABASE_URL = 'postgres://worker:db-secret-of-the-worker@db/akmatori';
    const look =
      'echo "$RUN_NAME" > mine.txt; pwd; ls -A . context; echo "HOME=$HOME"; env; cat mine.txt';
    const scenario = (name: string) => [
      [shell(`RUN_NAME=${name}; ${look}`)],
      [message(`${name} looked around.`)],
    ];
    const { api, models, dir } = await setUp(
      'worker-isolation',
      scenario('left'),
      scenario('right'),
    );
    const worker = start(testWorker(api, dir, { capacity: 2 }));
    await worker.connected();
    const note = (text: string) => [
      { path: `${text}.txt`, contentBase64: Buffer.from(text).toString('base64') },
    ];

    api.startRun(scriptedAssignment(models[0]!, 'run-left', { contextFiles: note('left-note') }));
    api.startRun(scriptedAssignment(models[1]!, 'run-right', { contextFiles: note('right-note') }));
    await api.waitFor('run.finished', (finished) => finished.runId === 'run-left');
    await api.waitFor('run.finished', (finished) => finished.runId === 'run-right');

    expect(api.received.filter((m) => m.type === 'run.rejected')).toEqual([]);
    const output = (runId: string) => ofType(api.events(runId), 'command.completed')[0]?.output;
    const left = output('run-left');
    const right = output('run-right');
    // Each run's sandbox holds its own run directory at /akmatori/run; no host path shows.
    expect(left).toContain('/akmatori/run/workspace');
    expect(left).toContain('left-note.txt');
    expect(left).toContain('HOME=/akmatori/run');
    expect(left).not.toContain(dir);
    expect(left?.trimEnd().endsWith('left')).toBe(true);
    expect(right).toContain('/akmatori/run/workspace');
    expect(right).toContain('right-note.txt');
    expect(right).not.toContain(dir);
    expect(right?.trimEnd().endsWith('right')).toBe(true);
    expect(left, 'the left run saw something of the right one').not.toMatch(/right/);
    expect(right, 'the right run saw something of the left one').not.toMatch(/left/);
    for (const seen of [left, right]) {
      expect(seen, 'the worker’s environment reached the agent').not.toContain('db-secret');
      expect(seen).not.toContain(WORKER_TOKEN);
      expect(seen).not.toContain('AKMATORI_RUN_TOKEN');
    }
    delete process.env.WORKER_DATABASE_URL;
  });

  it('a follow-up on another worker resumes the same Codex thread from the session archive', async () => {
    const { api, models, dir } = await setUp('worker-resume', [
      [message('The disk is full.')],
      [message('Delete old logs.')],
    ]);
    const first = start(testWorker(api, dir, { name: 'first' }));
    await first.connected();
    api.startRun(scriptedAssignment(models[0]!, 'run-1'));
    const done = await api.waitFor('run.finished', (finished) => finished.runId === 'run-1');
    expect(done).toMatchObject({ outcome: 'completed', sessionId: expect.any(String) });
    await first.stop();

    const second = start(testWorker(api, dir, { name: 'second' }));
    await second.connected();
    api.startRun(
      scriptedAssignment(models[0]!, 'run-2', {
        prompt: 'What should we do?',
        resume: { sessionId: done.sessionId!, archive: done.session! },
      }),
    );
    const followUp = await api.waitFor('run.finished', (finished) => finished.runId === 'run-2');

    const events = api.events('run-2');
    expect(ofType(events, 'run.started')).toEqual([
      { type: 'run.started', sessionId: done.sessionId },
    ]);
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'Delete old logs.' });
    expect(followUp).toMatchObject({
      outcome: 'completed',
      sessionId: done.sessionId,
      lastSeq: events.length,
    });
    const history = inputMessages(models[0]!.requests[1]!).map((m) => `${m.role}: ${m.text}`);
    expect(history).toContain('user: What is wrong?');
    expect(history).toContain('assistant: The disk is full.');
    expect(history.at(-1)).toBe('user: What should we do?');
    expect(followUp.session!.gzipBase64.length).toBeGreaterThan(done.session!.gzipBase64.length);
  });
});
