import type { RunEvent } from '@akmatori/core';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessGroupAlive, runCodex } from '../src/index.js';
import {
  inputMessages,
  lastFunctionCallOutput,
  message,
  outputText,
  reasoning,
  shell,
  slow,
  startScriptedModel,
  type ScriptedModel,
  type ScenarioTurn,
} from '../src/testing/index.js';
import { makeTempDir, pollUntil, type TempDir } from '@akmatori/test-support/peers/process';
import {
  processWithMarkerExists,
  recordEvents,
  sandboxFor,
  scriptedWorkspace,
} from './support/codex-kit.js';

const RUN_TOKEN = 'run-token-for-tests-0123456789';

let model: ScriptedModel | undefined;
let dir: TempDir | undefined;

afterEach(async () => {
  await model?.close();
  dir?.remove();
  model = undefined;
  dir = undefined;
});

async function start(turns: readonly ScenarioTurn[]) {
  model = await startScriptedModel(turns);
  dir = makeTempDir('runner-codex');
  const workspace = await scriptedWorkspace(model, dir.path);
  return { model, workspace };
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) =>
  events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);

describe('runCodex against the scripted model', () => {
  it('streams the shell command, its output, the answer and the usage, then completes with the answer', async () => {
    const { model, workspace } = await start([
      [reasoning('Check the shell first.'), shell('echo hi')],
      [message('The shell said hi.')],
    ]);
    const run = runCodex({
      containment: sandboxFor(model!),
      workspace,
      prompt: 'Say hi through the shell.',
      runToken: RUN_TOKEN,
    });
    const events = await recordEvents(run.events).done;

    expect(events[0]).toEqual({
      type: 'run.started',
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const [started] = ofType(events, 'command.started');
    const [completed] = ofType(events, 'command.completed');
    expect(started, `no command.started in ${JSON.stringify(events)}`).toMatchObject({
      command: expect.stringContaining('echo hi'),
      itemId: expect.any(String),
    });
    expect(completed).toEqual({
      type: 'command.completed',
      command: started!.command,
      output: 'hi\n',
      exitCode: 0,
      status: 'completed',
      itemId: started!.itemId,
    });
    expect(ofType(events, 'agent.reasoning').map((event) => event.text)).toEqual([
      'Check the shell first.',
    ]);
    expect(ofType(events, 'agent.message').map((event) => event.text)).toEqual([
      'The shell said hi.',
    ]);
    expect(ofType(events, 'usage')).toEqual([
      {
        type: 'usage',
        usage: { inputTokens: 20, cachedInputTokens: 0, outputTokens: 10, reasoningTokens: 0 },
      },
    ]);
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'The shell said hi.' });
    expect(outputText(lastFunctionCallOutput(model.requests))).toMatch(/Output:\nhi\n/);
    expect(model.requests[0]!.headers.authorization).toBe(`Bearer ${RUN_TOKEN}`);
  });

  it('puts AGENTS.md into the model prompt', async () => {
    const { model, workspace } = await start([[message('ok')]]);
    await recordEvents(
      runCodex({
        containment: sandboxFor(model!),
        workspace,
        prompt: 'Go.',
        runToken: RUN_TOKEN,
      }).events,
    ).done;
    const prompt = inputMessages(model.requests[0]!)
      .map((entry) => entry.text)
      .join('\n');
    expect(prompt).toContain('Alert: DiskFull on web-1 (severity critical).');
    expect(prompt).toContain('## Root cause');
  });

  it('cancel stops a run waiting on the model, kills its process group and ends with run.failed', async () => {
    const { model, workspace } = await start([
      [reasoning('thinking'), slow(120_000), message('too late')],
    ]);
    const run = runCodex({
      containment: sandboxFor(model!),
      workspace,
      prompt: 'Take your time.',
      runToken: RUN_TOKEN,
    });
    const recording = recordEvents(run.events);
    await pollUntil('the model request', () => (model.requests.length > 0 ? true : undefined));

    await withinSeconds(5, run.cancel('the operator stopped it'), 'cancel did not stop Codex');

    const events = await recording.done;
    expect(events.at(-1)).toEqual({
      type: 'run.failed',
      error: 'cancelled: the operator stopped it',
    });
    expect(ofType(events, 'run.completed')).toEqual([]);
    expect(isProcessGroupAlive(run.pid!), 'the Codex process group is still alive').toBe(false);
  });

  it('cancel also ends a shell command the agent is running', async () => {
    const marker = `akmatori-cancel-marker-${process.pid}`;
    const { workspace } = await start([[shell(`sleep 300; echo ${marker}`)]]);
    const run = runCodex({
      containment: sandboxFor(model!),
      workspace,
      prompt: 'Run it.',
      runToken: RUN_TOKEN,
    });
    const recording = recordEvents(run.events);
    await recording.waitFor('command.started');
    await pollUntil('the sleeping command', () =>
      processWithMarkerExists(marker) ? true : undefined,
    );

    await withinSeconds(5, run.cancel(), 'cancel did not stop Codex');

    expect((await recording.done).at(-1)).toEqual({ type: 'run.failed', error: 'cancelled' });
    await pollUntil('the sleeping command to be gone', () =>
      processWithMarkerExists(marker) ? undefined : true,
    );
  });

  it('stops a run that exceeds its deadline and fails it with the reason', async () => {
    const { workspace } = await start([[slow(120_000), message('too late')]]);
    const run = runCodex({
      containment: sandboxFor(model!),
      workspace,
      prompt: 'Hurry.',
      runToken: RUN_TOKEN,
      deadlineMs: 2_000,
    });
    const events = await recordEvents(run.events).done;
    expect(events.at(-1)).toEqual({
      type: 'run.failed',
      error: 'the run exceeded its deadline of 2 s',
    });
    expect(isProcessGroupAlive(run.pid!)).toBe(false);
  });

  it('cancels when the signal aborts', async () => {
    const { model, workspace } = await start([[slow(120_000), message('too late')]]);
    const controller = new AbortController();
    const run = runCodex({
      containment: sandboxFor(model!),
      workspace,
      prompt: 'Wait.',
      runToken: RUN_TOKEN,
      signal: controller.signal,
    });
    const recording = recordEvents(run.events);
    await pollUntil('the model request', () => (model.requests.length > 0 ? true : undefined));
    controller.abort('the worker is shutting down');
    expect((await recording.done).at(-1)).toEqual({
      type: 'run.failed',
      error: 'cancelled: the worker is shutting down',
    });
  });

  it('a follow-up resumes the same thread with its history and counts only its own tokens', async () => {
    const { model, workspace } = await start([
      [message('The disk is full.')],
      [message('Delete old logs.')],
    ]);
    const first = await recordEvents(
      runCodex({
        containment: sandboxFor(model!),
        workspace,
        prompt: 'What is wrong?',
        runToken: RUN_TOKEN,
      }).events,
    ).done;
    const sessionId = ofType(first, 'run.started')[0]?.sessionId;
    expect(sessionId).toBeDefined();

    const second = await recordEvents(
      runCodex({
        containment: sandboxFor(model!),
        workspace,
        prompt: 'What should we do?',
        runToken: RUN_TOKEN,
        resumeSessionId: sessionId!,
      }).events,
    ).done;

    expect(ofType(second, 'run.started')).toEqual([{ type: 'run.started', sessionId }]);
    expect(second.at(-1)).toEqual({ type: 'run.completed', summary: 'Delete old logs.' });
    const history = inputMessages(model.requests[1]!);
    const texts = history.map((entry) => `${entry.role}: ${entry.text}`);
    expect(texts).toContain('user: What is wrong?');
    expect(texts).toContain('assistant: The disk is full.');
    expect(texts.at(-1)).toBe('user: What should we do?');
    expect(ofType(second, 'usage').at(-1)?.usage).toEqual({
      inputTokens: 10,
      cachedInputTokens: 0,
      outputTokens: 5,
      reasoningTokens: 0,
    });
  });

  it('fails a follow-up of a session this Codex home does not have, with Codex’s message', async () => {
    const { workspace } = await start([]);
    const events = await recordEvents(
      runCodex({
        containment: sandboxFor(model!),
        workspace,
        prompt: 'Again?',
        runToken: RUN_TOKEN,
        resumeSessionId: '01a20000-0000-7000-8000-000000000000',
      }).events,
    ).done;
    const last = events.at(-1);
    expect(last?.type).toBe('run.failed');
    expect(last).toMatchObject({
      error: expect.stringMatching(/^codex exited with code \d+: .+/s),
    });
  });
});

/** Fails with `message` unless `promise` settles within `seconds`. */
async function withinSeconds(
  seconds: number,
  promise: Promise<unknown>,
  message: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${seconds} s`)), seconds * 1_000);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
