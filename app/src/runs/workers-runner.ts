import { gunzipSync } from 'node:zlib';
import {
  defineRunner,
  type RunContext,
  type RunEvent,
  type Runner,
  type RunSession,
} from '@akmatori/core';
import { assignmentOfTask, CODEX_RUNNER_ID, type SessionArchive } from '@akmatori/runner-codex';
import { WorkerLostError } from './remote-run.js';
import type { WorkerHub } from './worker-hub.js';

/**
 * The run context the dispatcher gives: the contract's, plus `placed`, which a runner that
 * hands runs to other machines calls once one took it (the run is then `running` there).
 */
export interface PlacedRunContext extends RunContext {
  readonly placed?: (where: string) => Promise<void>;
}

/**
 * The built-in runner `codex`, as the API runs it: it hands each task to a worker connected
 * to the hub (the worker starts `codexRunner()` with the same task and gateway), and streams
 * the worker's events back, reading the next only once the dispatcher stored the previous
 * one, so the worker is acknowledged only for stored events. Its events throw
 * {@link WorkerLostError} when the worker disappears (the dispatcher runs the task again).
 * `cancel` asks the worker to stop the run; the context's signal only stops waiting for a
 * worker (a run already on a worker outlives an API that stops, and is run again).
 */
export function workersRunner(hub: () => WorkerHub): Runner {
  return defineRunner({
    id: CODEX_RUNNER_ID,
    displayName: 'OpenAI Codex (workers)',
    start(task, context: PlacedRunContext) {
      const waiting = new AbortController();
      const signal = AbortSignal.any([waiting.signal, context.signal]);
      let settle!: (session: RunSession | undefined) => void;
      const session = new Promise<RunSession | undefined>((resolve) => (settle = resolve));
      const queue = new StoredEventQueue();

      const dispatching = (async (): Promise<void> => {
        try {
          const assignment = assignmentOfTask(task, context.gateway);
          const result = await hub().dispatch(
            assignment,
            ({ event }) => queue.push(event),
            signal,
            async (workerId) => context.placed?.(workerId),
          );
          settle(
            result.sessionId === undefined
              ? undefined
              : {
                  id: result.sessionId,
                  ...(result.session !== undefined && isReadableArchive(result.session)
                    ? { state: result.session.gzipBase64 }
                    : {}),
                },
          );
          queue.end();
        } catch (error) {
          settle(undefined);
          if (signal.aborted && !(error instanceof WorkerLostError)) {
            queue.push({ type: 'run.failed', error: 'cancelled before a worker took it' });
            queue.end();
          } else if (error instanceof WorkerLostError) {
            queue.fail(error);
          } else {
            queue.push({ type: 'run.failed', error: (error as Error)?.message ?? String(error) });
            queue.end();
          }
        }
      })();

      return {
        events: queue.events(),
        session,
        async cancel(reason = 'cancelled') {
          if (!hub().cancel(task.runId, reason)) waiting.abort(new Error(reason));
          await dispatching;
        },
      };
    },
  });
}

/**
 * Events in, read one at a time: `push` resolves once the reader asked for the next event
 * after it (it stored this one), so the hub acknowledges only stored events.
 */
class StoredEventQueue {
  readonly #items: { event: RunEvent; stored: () => void }[] = [];
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  push(event: RunEvent): Promise<void> {
    return new Promise<void>((stored) => {
      this.#items.push({ event, stored });
      this.#wake?.();
    });
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  fail(error: Error): void {
    this.#error = error;
    this.end();
  }

  async *events(): AsyncGenerator<RunEvent> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item.event;
        item.stored();
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

/** Checks a session archive unpacks (a worker could send anything). */
function isReadableArchive(archive: SessionArchive): boolean {
  try {
    return Array.isArray(
      JSON.parse(gunzipSync(Buffer.from(archive.gzipBase64, 'base64')).toString('utf8')),
    );
  } catch {
    return false;
  }
}
