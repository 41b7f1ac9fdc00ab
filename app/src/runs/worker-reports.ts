import type { Logger } from '@akmatori/core';
import type { WorkerMessage } from '@akmatori/runner-codex';
import type { RemoteRun } from './remote-run.js';
import type { WorkerConnection } from './worker-connection.js';

/** What {@link takeReport} needs of the hub. */
export interface ReportContext {
  /** The runs given to workers, by run id. */
  readonly runs: ReadonlyMap<string, RemoteRun>;
  /** A worker by id (a run's acknowledgements go to its current connection). */
  worker(workerId: string): WorkerConnection | undefined;
  /** Closes a finished run on the hub's side and tells its worker. */
  closeRun(runId: string): void;
  readonly log: Logger;
}

/** A worker's message after `hello`. */
type Report = Exclude<WorkerMessage, { type: 'hello' }>;

/** The run `runId` if the hub gave it to `worker` and the worker accepted it. */
export function ownRun(
  runs: ReadonlyMap<string, RemoteRun>,
  worker: WorkerConnection,
  runId: string,
): RemoteRun | undefined {
  const run = runs.get(runId);
  return run !== undefined && run.workerId === worker.workerId && worker.runs.has(runId)
    ? run
    : undefined;
}

/**
 * Takes one report of `worker` (a schema-checked message after its `hello`), about its own
 * runs only: `run.accepted` and `run.rejected` for a run offered to it; events (stored in
 * order, each acknowledged once stored, re-sent ones acknowledged again) and `run.finished`
 * for a run it accepted; heartbeats confirm only its own runs. A report about any other run
 * is dropped with a warning.
 */
export function takeReport(context: ReportContext, worker: WorkerConnection, report: Report): void {
  switch (report.type) {
    case 'heartbeat':
      for (const runId of report.running) {
        const run = ownRun(context.runs, worker, runId);
        if (run !== undefined) run.unconfirmedSince = undefined;
      }
      return;
    case 'run.accepted':
    case 'run.rejected': {
      if (!worker.offered.has(report.runId)) {
        dropForeign(context, worker, report, 'the run was not offered to this worker');
        return;
      }
      worker.offered.delete(report.runId);
      if (report.type === 'run.accepted') worker.runs.add(report.runId);
      context.runs
        .get(report.runId)
        ?.started(
          report.type === 'run.accepted',
          report.type === 'run.rejected' ? report.reason : undefined,
        );
      return;
    }
    case 'run.event': {
      const run = ownRun(context.runs, worker, report.runId);
      if (run === undefined) {
        dropForeign(context, worker, report, whyNotOwn(context, report.runId));
        return;
      }
      run.unconfirmedSince = undefined;
      const { seq } = report;
      run.chain = run.chain.then(async () => {
        if (seq <= run.lastStored) {
          worker.send({ type: 'ack', runId: run.runId, seq: run.lastStored });
          return;
        }
        await run.sink({ seq, at: new Date(report.at), event: report.event });
        run.lastStored = seq;
        context.worker(run.workerId)?.send({ type: 'ack', runId: run.runId, seq });
      });
      run.chain.catch((error: unknown) => {
        context.log.error({ err: error, run: run.runId }, 'run event not stored');
      });
      return;
    }
    case 'run.finished': {
      const run = ownRun(context.runs, worker, report.runId);
      if (run === undefined) {
        dropForeign(context, worker, report, whyNotOwn(context, report.runId));
        return;
      }
      run.unconfirmedSince = undefined;
      void run.chain.then(() => {
        if (run.lastStored < report.lastSeq) return; // the missing events will be re-sent, then this again
        context.closeRun(run.runId);
        run.resolve({
          outcome: report.outcome,
          workerId: worker.workerId,
          ...(report.sessionId === undefined ? {} : { sessionId: report.sessionId }),
          ...(report.session === undefined ? {} : { session: report.session }),
        });
      });
      return;
    }
    default:
      return;
  }
}

function whyNotOwn(context: ReportContext, runId: string): string {
  return context.runs.get(runId) === undefined
    ? 'no such run is going (closed, or never given to any worker)'
    : 'the run belongs to another worker';
}

/**
 * Drops a report about a run that is not this worker's, with a warning, and tells the worker
 * the run is closed for it (so an honest worker that lost track stops re-sending).
 */
function dropForeign(
  context: ReportContext,
  worker: WorkerConnection,
  report: Extract<Report, { runId: string }>,
  why: string,
): void {
  context.log.warn(
    { worker: worker.workerId, token: worker.token.name, run: report.runId, type: report.type },
    `worker report dropped: ${why}`,
  );
  if (report.type === 'run.event' || report.type === 'run.finished')
    worker.send({ type: 'run.closed', runId: report.runId });
}
