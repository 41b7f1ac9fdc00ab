import { definePlugin, defineRunner, type AkmatoriPlugin, type RunEvent } from '@akmatori/core';

/** Runs started by the controlled runner, per incident id, in order. */
export const controlledRuns = new Map<string, number>();

/**
 * A runner whose behaviour an incident's title chooses: `FailFirst…` fails the incident's first
 * run and completes the next ones; `Hang…` runs until cancelled (its signal or `cancel`);
 * anything else completes.
 */
export const controlledRunnerPlugin = (): AkmatoriPlugin =>
  definePlugin({
    name: 'controlled-runner',
    runners: [
      defineRunner({
        id: 'controlled',
        displayName: 'Controlled test runner',
        start(task, context) {
          const attempt = (controlledRuns.get(task.incidentId) ?? 0) + 1;
          controlledRuns.set(task.incidentId, attempt);
          const title = /"title": "([^"]*)"/.exec(task.context)?.[1] ?? '';
          let stop: () => void = () => {};
          const stopped = new Promise<void>((resolve) => (stop = resolve));
          // The run may be cancelled before it starts: the signal is already aborted then.
          if (context.signal.aborted) stop();
          else context.signal.addEventListener('abort', () => stop(), { once: true });
          return {
            events: (async function* (): AsyncGenerator<RunEvent> {
              yield { type: 'run.started' };
              if (title.startsWith('Hang')) {
                await stopped;
                yield { type: 'run.failed', error: 'cancelled' };
                return;
              }
              if (title.startsWith('FailFirst') && attempt === 1) {
                yield { type: 'run.failed', error: 'the model could not be reached' };
                return;
              }
              yield { type: 'run.completed', summary: `Report ${attempt} for ${title}` };
            })(),
            cancel: async () => stop(),
          };
        },
      }),
    ],
  });
