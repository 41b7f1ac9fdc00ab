import {
  WORKER_PROTOCOL_VERSION,
  type ApiMessage,
  type RunAssignment,
  type WorkerMessage,
} from '../protocol/worker-protocol.js';
import { probeAgentSandbox } from '../sandbox/probe-agent-sandbox.js';
import { reapStaleRuns } from './stale-runs.js';
import { runnerCodexVersion } from '../version.js';
import { AssignedRun } from './assigned-run.js';
import { checkedSegment } from '../task-workspace.js';
import { WorkerConnection } from './worker-connection.js';
import { resolveWorkerOptions, type WorkerOptions } from './worker-options.js';

/** A worker started by {@link startWorker}. */
export interface RunningWorker {
  /** The name it gave the API. */
  readonly workerId: string;
  /**
   * Resolves once the API has welcomed the worker (at once if it is connected now). Rejects
   * when the API refused the worker token or protocol (the worker then stops retrying), or
   * once the worker is stopped.
   */
  connected(): Promise<void>;
  /**
   * Resolves with the reason once the API has refused this worker for good (its token is
   * missing, unknown or revoked, its protocol is not supported, or its id is in use under
   * another token): the worker has stopped reconnecting. Never settles otherwise.
   */
  readonly refused: Promise<Error>;
  /**
   * Cancels the runs still going (reason `worker stopping`), waits up to `stopTimeoutMs` for
   * the API to take their last messages (it closes each run), closes the socket and removes
   * the run directories. Calling it again returns the same promise.
   */
  stop(): Promise<void>;
  /** The runs this worker holds: running, or finished and not yet closed by the API. */
  running(): string[];
}

/**
 * Starts a Codex worker: it connects to the API's worker socket with its token, takes runs
 * (`run.start`) up to its capacity, carries each out with the Codex CLI in its own run
 * directory `<runsDir>/<runId>/`, and streams the run's events numbered 1, 2, 3…, keeping
 * each until the API acknowledges it. At the end it sends `run.finished` with the packed
 * Codex session, so a follow-up can resume on any worker, and removes the run directory once
 * the API closes the run. After a lost connection it reconnects with backoff and sends again
 * whatever was not acknowledged.
 *
 * @example
 * ```ts
 * const worker = startWorker({
 *   apiUrl: 'http://akmatori-api:3000',
 *   workerToken: process.env.AKMATORI_WORKER_TOKEN!,
 *   runsDir: '/var/lib/akmatori/runs',
 *   log,
 * });
 * await worker.connected();
 * process.once('SIGTERM', () => void worker.stop());
 * ```
 */
export function startWorker(options: WorkerOptions): RunningWorker {
  const settings = resolveWorkerOptions(options);
  const log = options.log.child({ workerId: settings.workerId });
  const reaped = reapStaleRuns(settings.runsDir, log);
  if (reaped > 0) log.info({ reaped }, 'removed runs left by an earlier worker');
  const sandbox =
    settings.containment === 'bwrap'
      ? probeAgentSandbox({
          log,
          ...(settings.bwrapPath === undefined ? {} : { bwrapPath: settings.bwrapPath }),
        })
      : undefined;
  void sandbox?.then((probe) => {
    if (!probe.ok) log.error({ reason: probe.reason }, 'investigations cannot run on this worker');
    else if (probe.note !== undefined) log.warn(probe.note);
    else log.info('agent sandbox ready (bubblewrap)');
  });
  const runs = new Map<string, AssignedRun>();
  let stopping: Promise<void> | undefined;
  let changed: () => void = () => {};

  const held = (): string[] => [...runs.keys()];
  const connection = new WorkerConnection(
    settings,
    {
      hello: () => ({
        type: 'hello',
        protocol: WORKER_PROTOCOL_VERSION,
        workerId: settings.workerId,
        capacity: settings.capacity,
        version: runnerCodexVersion,
        running: held(),
      }),
      heartbeat: () => ({ type: 'heartbeat', running: held() }),
      ready: () => {
        for (const run of runs.values()) {
          for (const message of run.outbox.unacknowledged()) connection.send(message);
        }
      },
      message: (message) => receive(message),
    },
    log,
  );

  function receive(message: ApiMessage): void {
    switch (message.type) {
      case 'run.start':
        return start(message.run);
      case 'run.cancel': {
        const run = runs.get(message.runId);
        if (run === undefined) log.debug({ runId: message.runId }, 'cancel of a run not held here');
        else void run.cancel(message.reason);
        return;
      }
      case 'ack':
        runs.get(message.runId)?.outbox.acknowledge(message.seq);
        return changed();
      case 'run.closed':
        return close(message.runId);
      default:
        log.debug({ type: (message as { type: string }).type }, 'unknown message from the API');
    }
  }

  function start(assignment: RunAssignment): void {
    const runId = assignment.runId;
    const reject = (reason: string): void => {
      log.warn({ runId, reason }, 'run rejected');
      connection.send({ type: 'run.rejected', runId, reason: reason.slice(0, 1000) });
    };
    if (runs.has(runId)) {
      connection.send({ type: 'run.accepted', runId });
      return;
    }
    if (stopping !== undefined) return reject('the worker is stopping');
    try {
      checkedSegment(runId, 'run id');
    } catch (error) {
      return reject((error as Error).message);
    }
    const active = [...runs.values()].filter((run) => run.active).length;
    if (active >= settings.capacity) {
      return reject(`the worker is at capacity (${settings.capacity} runs)`);
    }
    connection.send({ type: 'run.accepted', runId });
    const runLog = log.child({ runId, incidentId: assignment.incidentId });
    runLog.info({ resume: assignment.resume !== undefined }, 'run accepted');
    const run: AssignedRun = new AssignedRun(assignment, {
      settings,
      sandbox,
      log: runLog,
      send: (message: WorkerMessage) => {
        if (runs.get(runId) === run) connection.send(message);
      },
    });
    runs.set(runId, run);
    void run.done.then(() => changed());
  }

  function close(runId: string): void {
    const run = runs.get(runId);
    if (run === undefined) return;
    runs.delete(runId);
    changed();
    void (async () => {
      if (run.active) log.info({ runId }, 'the API closed a run still going; stopping it');
      await run.cancel('closed by the API');
      await run.remove();
    })().catch((error: unknown) => log.error({ err: error, runId }, 'could not remove the run'));
  }

  async function stop(): Promise<void> {
    const all = [...runs.values()];
    await Promise.all(all.map((run) => run.cancel('worker stopping')));
    const deadline = Date.now() + settings.stopTimeoutMs;
    while (runs.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        changed = resolve;
        timer = setTimeout(resolve, deadline - Date.now());
      });
      clearTimeout(timer);
    }
    changed = () => {};
    if (runs.size > 0) {
      log.warn(
        { runs: held() },
        'stopping before the API closed these runs; their results may be lost',
      );
    }
    await connection.close('worker stopping');
    await Promise.all(all.map((run) => run.remove()));
    runs.clear();
    log.info('worker stopped');
  }

  connection.start();
  log.info({ url: settings.socketUrl, capacity: settings.capacity }, 'worker starting');
  return {
    workerId: settings.workerId,
    connected: () => connection.whenReady(),
    refused: connection.refused,
    stop: () => (stopping ??= stop()),
    running: held,
  };
}
