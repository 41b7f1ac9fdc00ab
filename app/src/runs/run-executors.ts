import { gunzipSync } from 'node:zlib';
import type { Logger, Runner, RunTask } from '@akmatori/core';
import type { RunAssignment, SessionArchive } from '@akmatori/runner-codex';
import { incidentDataFiles } from '../incidents/incident-data.js';
import type { RunRecorder } from './run-recorder.js';
import type { WorkerHub } from './worker-hub.js';

/** How a run ended, and the session to keep for follow-ups. */
export interface ExecutionResult {
  readonly outcome: 'completed' | 'failed' | 'cancelled';
  readonly workerId: string;
  readonly sessionId?: string;
  readonly session?: SessionArchive;
}

/** Carries out a run, recording its events as they come. */
export type RunExecutor = (
  assignment: RunAssignment,
  recorder: RunRecorder,
  signal: AbortSignal,
  onStarted: (workerId: string) => Promise<void>,
) => Promise<ExecutionResult>;

/** Runs on the remote workers connected to the hub. */
export function remoteExecutor(hub: WorkerHub): RunExecutor {
  return (assignment, recorder, signal, onStarted) =>
    hub.dispatch(
      assignment,
      ({ seq, at, event }) => recorder.record(seq, event, at),
      signal,
      onStarted,
    );
}

/** Runs with a runner plugin in the API process (plugins that bring their own agent). */
export function pluginExecutor(runner: Runner, log: Logger): RunExecutor {
  return async (assignment, recorder, signal, onStarted) => {
    await onStarted(`plugin:${runner.id}`);
    const task: RunTask = {
      runId: assignment.runId,
      incidentId: assignment.incidentId,
      prompt: assignment.prompt,
      // The fenced, untrusted incident data: the runner gives it to its agent as data.
      context: incidentMarkdownOf(assignment),
      skills: assignment.skills.map((skill) => skill.name),
      ...(assignment.resume === undefined ? {} : { resumeSessionId: assignment.resume.sessionId }),
    };
    const handle = runner.start(task, { log: log.child({ run: assignment.runId }), signal });
    const cancel = (): void => void handle.cancel('cancelled');
    // A cancel that came while the run was being started (before this listener) still stops it.
    if (signal.aborted) cancel();
    else signal.addEventListener('abort', cancel, { once: true });
    let outcome: ExecutionResult['outcome'] = 'failed';
    try {
      for await (const event of handle.events) {
        await recorder.next(event, new Date());
        if (event.type === 'run.completed') outcome = 'completed';
        if (event.type === 'run.failed') outcome = signal.aborted ? 'cancelled' : 'failed';
      }
    } catch (error) {
      await recorder.next(
        { type: 'run.failed', error: (error as Error)?.message ?? String(error) },
        new Date(),
      );
    } finally {
      signal.removeEventListener('abort', cancel);
    }
    return {
      outcome,
      workerId: `plugin:${runner.id}`,
      ...(recorder.sessionId === undefined ? {} : { sessionId: recorder.sessionId }),
    };
  };
}

function incidentMarkdownOf(assignment: RunAssignment): string {
  const file = assignment.contextFiles.find((f) => f.path === incidentDataFiles.markdown);
  return file === undefined ? '' : Buffer.from(file.contentBase64, 'base64').toString('utf8');
}

/** Checks a session archive unpacks (a worker could send anything). */
export function isReadableArchive(archive: SessionArchive): boolean {
  try {
    return Array.isArray(
      JSON.parse(gunzipSync(Buffer.from(archive.gzipBase64, 'base64')).toString('utf8')),
    );
  } catch {
    return false;
  }
}
