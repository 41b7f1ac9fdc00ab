import { isAkmatoriError, silentLogger } from '@akmatori/core';
import type { RecordedEntry } from '@akmatori/gateway';
import { describe, expect, it } from 'vitest';
import { AppErrors } from '../errors.js';
import type { RunRecord } from '../runs/run-repository.js';
import { RunReplays } from './run-replays.js';

// The refusals of a replay, before anything is started: the runs and recordings are stand-ins.

const run = (id: string, overrides: Partial<RunRecord> = {}): RunRecord => ({
  id,
  incidentId: 'incident-1',
  kind: 'investigation',
  status: 'completed',
  prompt: 'Investigate',
  attempt: 1,
  workerId: null,
  sessionId: null,
  error: null,
  reportMarkdown: null,
  report: null,
  usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
  costUsd: null,
  createdAt: new Date('2026-12-06T01:00:00Z'),
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  skills: null,
  ...overrides,
});

const task = (resume?: { id: string; state: string }): RecordedEntry =>
  ({
    kind: 'task',
    task: {
      runId: 'f',
      incidentId: 'incident-1',
      prompt: 'Is it still filling up?',
      instructions: '',
      context: '',
      deadlineMs: 60_000,
      skills: [],
      contextFiles: [],
      ...(resume === undefined ? {} : { resume }),
    },
  }) as unknown as RecordedEntry;

function replays(runs: RunRecord[], entries: RecordedEntry[] = []): RunReplays {
  return new RunReplays({
    runs: {
      get: async (id) => runs.find((one) => one.id === id),
      listByIncident: async () => runs,
    },
    recordings: { entries: async () => entries },
    skills: { get: async () => undefined, directory: '/nonexistent' },
    provider: async () => undefined,
    sandbox: 'container',
    deadlineMs: 60_000,
    log: silentLogger(),
  });
}

/** The refusal `replay` ends with (it must refuse). */
async function refusal(subject: RunReplays, runId: string): Promise<Error> {
  const error = await subject.replay(runId, { mode: 'recorded' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isAkmatoriError(error, AppErrors.AKM_REPLAY_NOT_RECORDED), String(error)).toBe(true);
  return error as Error;
}

describe('a replay is refused', () => {
  it('while the attempt that will have the outcome is still going, naming it', async () => {
    const lost = run('a1', { status: 'failed' });
    const going = run('a2', { attempt: 2, status: 'running' });
    expect((await refusal(replays([lost, going]), 'a1')).message).toBe(
      'This run cannot be replayed: its attempt 2 has not finished yet',
    );
  });

  it('for a follow-up whose recording lacks the session it resumed, saying why', async () => {
    const followUp = run('f', { kind: 'follow_up', prompt: 'Is it still filling up?' });
    expect((await refusal(replays([run('i'), followUp], [task()]), 'f')).message).toMatch(
      /follow-up recorded before recordings kept the session it resumed/,
    );
  });

  it('for a run whose recording holds no task', async () => {
    expect((await refusal(replays([run('i')], []), 'i')).message).toBe(
      'This run cannot be replayed: the recording holds no task',
    );
  });
});
