import { createLogger, defineRunner, type RunEvent } from '@akmatori/core';
import type { RunAssignment } from '@akmatori/runner-codex';
import { describe, expect, it } from 'vitest';
import { RunRecorder } from './run-recorder.js';
import type { RunRepository, StoredRunEvent } from './run-repository.js';
import { RunEventStream } from './run-event-stream.js';
import { pluginExecutor } from './run-executors.js';

// A runner plugin's run that is cancelled while it is being started (the abort comes during
// onStarted, before the executor listens for it) is still stopped.

const assignment = {
  runId: 'run-1',
  incidentId: 'incident-1',
  prompt: 'Look',
  agentsMd: '',
  gatewayUrl: 'http://127.0.0.1:1',
  runToken: 'token',
  model: 'model',
  deadlineMs: 60_000,
  skills: [],
  contextFiles: [],
} satisfies RunAssignment;

/** A recorder over an in-memory event list. */
function recorder(): { recorder: RunRecorder; types: string[] } {
  const types: string[] = [];
  let id = 0;
  const runs = {
    appendEvent: async (event: { seq: number; event: RunEvent; at: Date }) => {
      types.push(event.event.type);
      return { id: ++id, runId: 'run-1', incidentId: 'incident-1', ...event } as StoredRunEvent;
    },
  } as unknown as RunRepository;
  return {
    types,
    recorder: new RunRecorder({
      runs,
      stream: new RunEventStream(),
      runId: 'run-1',
      incidentId: 'incident-1',
    }),
  };
}

describe('pluginExecutor', () => {
  it('stops a run cancelled while it was being started', async () => {
    let cancelled = 0;
    const runner = defineRunner({
      id: 'waits-for-cancel',
      displayName: 'Waits for cancel',
      start() {
        let stop: () => void = () => {};
        const stopped = new Promise<void>((resolve) => (stop = resolve));
        return {
          events: (async function* (): AsyncGenerator<RunEvent> {
            yield { type: 'run.started' };
            await stopped; // only a cancel ends it
            yield { type: 'run.failed', error: 'cancelled' };
          })(),
          cancel: async () => {
            cancelled += 1;
            stop();
          },
        };
      },
    });
    const controller = new AbortController();
    const { recorder: events, types } = recorder();
    const result = await pluginExecutor(runner, createLogger({ level: 'silent' }))(
      assignment,
      events,
      controller.signal,
      async () => controller.abort(new Error('cancelled by user:rita')),
    );
    expect(cancelled).toBe(1);
    expect(result.outcome).toBe('cancelled');
    expect(types).toEqual(['run.started', 'run.failed']);
  });
});
