import { describe, expect, it } from 'vitest';
import {
  replayableRuns,
  replayOutcome,
  runLabel,
  type IncidentRun,
  type ReplayResult,
} from './replay-view';

const run = (id: string, overrides: Partial<IncidentRun> = {}): IncidentRun => ({
  id,
  kind: 'investigation',
  status: 'completed',
  prompt: 'Investigate',
  attempt: 1,
  created_at: '2026-12-06T01:20:00.000Z',
  started_at: '2026-12-06T01:20:05.000Z',
  ...overrides,
});

describe('the runs offered for replay', () => {
  it('are the ended investigations and follow-ups, one per run: the last of its attempts', () => {
    const runs = [
      run('lost', { status: 'failed', attempt: 1 }),
      run('retried', { attempt: 2 }),
      run('follow-up', { kind: 'follow_up', prompt: 'why?' }),
      run('again'),
      run('going', { status: 'running' }),
    ];
    expect(replayableRuns(runs).map((one) => one.id)).toEqual(['retried', 'follow-up', 'again']);
  });

  it('are named by when they started, how they ended and their attempts', () => {
    expect(runLabel(run('r', { attempt: 2 }))).toBe(
      'Investigation of 2026-12-06 01:20 UTC · completed · 2 attempts',
    );
    expect(runLabel(run('r', { started_at: null, status: 'failed' }))).toBe(
      'Investigation of 2026-12-06 01:20 UTC · failed',
    );
    expect(runLabel(run('f', { kind: 'follow_up' }))).toBe(
      'Follow-up of 2026-12-06 01:20 UTC · completed',
    );
  });
});

describe('the outcome of a replay', () => {
  const result = (overrides: Partial<ReplayResult>): ReplayResult =>
    ({
      mode: 'recorded',
      skills_from: 'recording',
      replayed: { run_id: 'r2', attempt: 2, attempts: 2 },
      replay: { status: 'completed', error: null },
      ...overrides,
    }) as ReplayResult;

  it('says which attempt was replayed, and from where the model answered', () => {
    expect(replayOutcome(result({}))).toBe('Attempt 2 of 2 replayed from its recording: completed');
    expect(
      replayOutcome(
        result({
          mode: 'model',
          skills_from: 'current',
          replayed: { run_id: 'r', attempt: 1, attempts: 1 },
        }),
      ),
    ).toBe('The run replayed with the configured model and the skills as they are now: completed');
  });
});
