import { describe, expect, it } from 'vitest';
import { attemptsOf, type AttemptedRun } from './run-attempts.js';

const run = (
  id: string,
  attempt: number,
  kind: AttemptedRun['kind'] = 'investigation',
  prompt = 'Investigate',
): AttemptedRun => ({ id, attempt, kind, prompt });

describe('the attempts of a run', () => {
  it('are the run alone when its worker was never lost', () => {
    expect(attemptsOf([run('a', 1), run('f', 1, 'follow_up', 'why?')], 'a')).toEqual([run('a', 1)]);
  });

  it('are every attempt, first to last, whichever attempt is named', () => {
    const runs = [run('a1', 1), run('a2', 2), run('a3', 3)];
    for (const id of ['a1', 'a2', 'a3'])
      expect(attemptsOf(runs, id).map((one) => one.id)).toEqual(['a1', 'a2', 'a3']);
  });

  it('skip the runs of another job in between, and stop at the same question asked again', () => {
    const runs = [
      run('q1', 1, 'follow_up', 'why?'),
      run('other', 1, 'follow_up', 'and now?'),
      run('q2', 2, 'follow_up', 'why?'),
      run('again', 1, 'follow_up', 'why?'),
      run('again2', 2, 'follow_up', 'why?'),
    ];
    expect(attemptsOf(runs, 'q1').map((one) => one.id)).toEqual(['q1', 'q2']);
    expect(attemptsOf(runs, 'again').map((one) => one.id)).toEqual(['again', 'again2']);
    expect(attemptsOf(runs, 'other').map((one) => one.id)).toEqual(['other']);
  });

  it('are none for a run not in the list', () => {
    expect(attemptsOf([run('a', 1)], 'b')).toEqual([]);
  });
});
