import { describe, expect, it } from 'vitest';
import type { AkmatoriApi } from '../driver/akmatori-api.js';
import { replayFromRecording, type ReplayOutcome } from './replay-check.js';

const outcome = (status: 'completed' | 'failed', identical: boolean): ReplayOutcome => ({
  mode: 'recorded',
  original: { tool_calls: [], report_markdown: '## Summary\nok' },
  replay: {
    status,
    error: null,
    tool_calls: [],
    report_markdown: '## Summary\nok',
    calls: [],
    model_calls: 1,
  },
  diff: { identical, tool_calls: { added: [], removed: [], changed: [] }, report: [] },
});

/** An API that answers every call with `answer` and remembers what it was asked. */
function apiAnswering(answer: ReplayOutcome): AkmatoriApi & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    url: 'http://127.0.0.1:1',
    asked,
    async call<T>(method: string, route: string, body?: unknown): Promise<T> {
      asked.push({ method, route, body });
      return answer as T;
    },
  };
}

describe('replaying a scenario run from its recording', () => {
  it('asks for a replay with the model answered from the recording, and says it reproduced the run', async () => {
    const api = apiAnswering(outcome('completed', true));
    const result = await replayFromRecording(api, 'run-1');
    expect(api.asked).toEqual([
      { method: 'POST', route: '/api/runs/run-1/replay', body: { mode: 'recorded' } },
    ]);
    expect(result.reproduced).toBe(true);
  });

  it('does not count a replay that differs, or that failed, as reproduced', async () => {
    expect(
      (await replayFromRecording(apiAnswering(outcome('completed', false)), 'r')).reproduced,
    ).toBe(false);
    expect((await replayFromRecording(apiAnswering(outcome('failed', true)), 'r')).reproduced).toBe(
      false,
    );
  });
});
