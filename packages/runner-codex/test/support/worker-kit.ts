import { Writable } from 'node:stream';
import path from 'node:path';
import { createLogger, type Logger, type RunEvent } from '@akmatori/core';
import {
  renderAgentsMd,
  startWorker,
  type RunAssignment,
  type RunningWorker,
  type WorkerOptions,
} from '../../src/index.js';
import type { FakeApi, ScriptedModel } from '../../src/testing/index.js';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { SCRIPTED_MODEL } from './codex-kit.js';

/** The worker token the fake API accepts. */
export const WORKER_TOKEN = 'worker-token-for-tests-9876543210';
/** The run token of the assignments (Codex sends it to the scripted model as its API key). */
export const RUN_TOKEN = 'run-token-for-worker-tests-0123456789';

/** A logger writing JSON lines into memory, to check what a worker logs. */
export interface CapturedLog {
  readonly log: Logger;
  /** Everything logged so far. */
  text(): string;
}

/** A debug-level logger whose lines stay in memory. */
export function captureLog(): CapturedLog {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination }), text: () => chunks.join('') };
}

/**
 * An assignment whose Codex talks to `model` directly (the workers of these tests do not
 * require the gateway's MCP endpoint): run `runId` of incident `inc-1`.
 */
export function scriptedAssignment(
  model: ScriptedModel,
  runId: string,
  more: Partial<RunAssignment> = {},
): RunAssignment {
  return {
    runId,
    incidentId: 'inc-1',
    prompt: 'What is wrong?',
    agentsMd: renderAgentsMd({ context: 'Alert: DiskFull on web-1 (severity critical).' }),
    gatewayUrl: model.baseUrl.replace(/\/v1$/, ''),
    runToken: RUN_TOKEN,
    model: SCRIPTED_MODEL,
    deadlineMs: 120_000,
    skills: [],
    contextFiles: [],
    ...more,
  };
}

/** A worker connected to `api` with its run directories under `dir/<name>`, reconnecting fast. */
export function testWorker(
  api: FakeApi,
  dir: string,
  more: Partial<WorkerOptions> & { name?: string } = {},
): RunningWorker {
  const { name = 'worker', ...options } = more;
  return startWorker({
    apiUrl: api.url,
    workerToken: WORKER_TOKEN,
    workerId: name,
    runsDir: path.join(dir, name),
    log: captureLog().log,
    reconnectInitialMs: 50,
    reconnectMaxMs: 500,
    config: {
      requireGatewayTools: false,
      requestMaxRetries: 0,
      streamMaxRetries: 0,
    },
    process: { killGraceMs: 1_000 },
    ...options,
  });
}

/** The seqs of the `run.event` messages of `runId` among `messages`, in arrival order. */
export function seqsOf(api: FakeApi, runId: string, from = 0): number[] {
  return api.received
    .slice(from)
    .filter((message) => message.type === 'run.event' && message.runId === runId)
    .map((message) => (message as { seq: number }).seq);
}

/** Waits until the fake API has received an event of `type` for `runId`, and returns it. */
export async function waitForEvent<T extends RunEvent['type']>(
  api: FakeApi,
  runId: string,
  type: T,
): Promise<Extract<RunEvent, { type: T }>> {
  const message = await api.waitFor(
    'run.event',
    (candidate) => candidate.runId === runId && candidate.event.type === type,
  );
  return message.event as Extract<RunEvent, { type: T }>;
}

/**
 * Waits until the worker has handled every message the API sent so far: the worker answers
 * messages in order, and answers a repeated `run.start` of a run it holds with `run.accepted`.
 */
export async function workerCaughtUp(api: FakeApi, assignment: RunAssignment): Promise<void> {
  const accepted = (): number =>
    api.received.filter(
      (message) => message.type === 'run.accepted' && message.runId === assignment.runId,
    ).length;
  const before = accepted();
  api.startRun(assignment);
  await pollUntil('the repeated run.accepted', () => (accepted() > before ? true : undefined));
}

/** `1, 2, …, n`. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index + 1);
}
