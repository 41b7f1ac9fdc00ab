import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@akmatori/core';
import {
  WorkerCloseCodes,
  workerMessageLimits,
  type RunAssignment,
  type WorkerMessage,
} from '@akmatori/runner-codex';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  WorkerLostError,
  type RemoteRun,
  type RemoteRunResult,
  type RunEventSink,
} from './remote-run.js';
import { refuseUpgrade } from './upgrade-refusal.js';
import { admitWorker, TokenRecheck, type WorkerTokenCheck } from './worker-admission.js';
import { WorkerConnection } from './worker-connection.js';
import { ownRun, takeReport, type ReportContext } from './worker-reports.js';
import { checkWorkerMessage, closeReason } from './worker-message-check.js';
import type { WorkerTokenIdentity } from './worker-tokens.js';

/** A connected worker, as {@link WorkerHub.workers} lists it. */
export interface ConnectedWorker {
  readonly workerId: string;
  readonly capacity: number;
  readonly running: number;
  readonly version: string;
  readonly connectedAt: Date;
  /** The token it connected with. */
  readonly token: WorkerTokenIdentity;
}

/** What {@link WorkerHub} needs. */
export interface WorkerHubOptions {
  /** Checks the tokens workers connect with. */
  readonly tokens: WorkerTokenCheck;
  readonly log: Logger;
  /** How often workers heartbeat; default 5 s. */
  readonly heartbeatMs?: number;
  /** A worker unheard of this long is gone, and its runs with it; default 3 heartbeats. */
  readonly lostAfterMs?: number;
  readonly now?: () => number;
  /** Called when a worker connects (or reconnects), disconnects or is let go: see {@link WorkerHub.capacity}. */
  readonly onWorkersChanged?: () => void;
}

/**
 * The API's side of the run protocol: workers connect over WebSocket at `/ws/worker`, and
 * {@link WorkerHub.dispatch} hands a run to one with a free slot, passes its events to a sink
 * one by one (acknowledging each once stored, ignoring re-sent ones) and resolves when the
 * worker reports the end. A run whose worker stays away longer than `lostAfterMs` rejects
 * with {@link WorkerLostError}, so the caller can queue it again.
 *
 * It trusts a worker with nothing but its own runs: the upgrade completes only for a live
 * worker token (HTTP 401 otherwise); a worker id is bound to the token it first connected
 * with; every message is checked against the protocol's schema and size limits (a bad one
 * closes the connection); and reports about a run not given to that worker are dropped with a
 * warning. Revoking a token ({@link WorkerHub.disconnectToken}, and the periodic re-check for
 * revocations made on other replicas) disconnects its workers and gives their runs up at once.
 */
export class WorkerHub {
  readonly #options: WorkerHubOptions;
  readonly #server = new WebSocketServer({
    noServer: true,
    maxPayload: workerMessageLimits.maxMessageBytes,
  });
  readonly #workers = new Map<string, WorkerConnection>();
  readonly #runs = new Map<string, RemoteRun>();
  readonly #slotWaiters = new Set<() => void>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #now: () => number;
  readonly #recheck: TokenRecheck;
  readonly #reports: ReportContext;
  #closing = false;

  constructor(options: WorkerHubOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#recheck = new TokenRecheck(options.tokens, this.#now);
    this.#reports = {
      runs: this.#runs,
      worker: (workerId) => this.#workers.get(workerId),
      closeRun: (runId) => this.#closeRun(runId),
      log: options.log,
    };
    this.#sweeper = setInterval(() => this.#sweep(), this.#heartbeatMs);
    this.#sweeper.unref();
  }

  get #heartbeatMs(): number {
    return this.#options.heartbeatMs ?? 5_000;
  }

  get #lostAfterMs(): number {
    return this.#options.lostAfterMs ?? 3 * this.#heartbeatMs;
  }

  /**
   * The run slots of the workers connected to this API process now: how many runs it can
   * carry out at once, and so how many queued jobs it takes at once.
   */
  capacity(): number {
    let slots = 0;
    for (const worker of this.#workers.values()) if (worker.connected) slots += worker.capacity;
    return slots;
  }

  /** The workers connected to this API process. */
  workers(): ConnectedWorker[] {
    return [...this.#workers.values()]
      .filter((worker) => worker.connected)
      .map((worker) => ({
        workerId: worker.workerId,
        capacity: worker.capacity,
        running: worker.runs.size,
        version: worker.version,
        connectedAt: worker.connectedAt,
        token: worker.token,
      }));
  }

  /**
   * Takes an HTTP upgrade for the worker endpoint: upgrades only for a live worker token and
   * answers anything else with a plain HTTP 401 (503 when the token cannot be checked now).
   */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const token = await admitWorker(req, socket, this.#options.tokens, this.#options.log);
    if (token === undefined) return;
    if (this.#closing) {
      refuseUpgrade(socket, 503, { code: 'HTTP_503', message: 'The API is stopping' });
      return;
    }
    if (socket.destroyed) return;
    this.#server.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, token));
  }

  /**
   * Disconnects every worker connected with the token `tokenId` (close code 4401) and gives
   * up their runs at once, as if the workers were lost, so they are queued again. Returns the
   * ids of the workers disconnected.
   */
  disconnectToken(tokenId: string, why = 'worker token revoked'): string[] {
    const gone = [...this.#workers.values()].filter((worker) => worker.token.id === tokenId);
    for (const worker of gone) this.#letGo(worker, why);
    return gone.map((worker) => worker.workerId);
  }

  /**
   * Runs `assignment` on a worker: waits for a free slot (or `signal`), offers the run, and
   * passes its events to `sink`. Resolves with how it ended; rejects with
   * {@link WorkerLostError} when the worker disappears, or with the abort reason.
   */
  async dispatch(
    assignment: RunAssignment,
    sink: RunEventSink,
    signal: AbortSignal,
    onStarted: (workerId: string) => Promise<void> = async () => {},
  ): Promise<RemoteRunResult> {
    for (;;) {
      signal.throwIfAborted();
      const worker = await this.#freeWorker(signal);
      const accepted = await this.#offer(worker, assignment, sink);
      if (accepted.ok) {
        await onStarted(worker.workerId);
        return accepted.finish;
      }
      this.#options.log.info(
        { worker: worker.workerId, run: assignment.runId, reason: accepted.reason },
        'run not taken; trying another worker',
      );
    }
  }

  /** Asks the run's worker to stop it; false when no worker has it. */
  cancel(runId: string, reason: string): boolean {
    const run = this.#runs.get(runId);
    if (run === undefined) return false;
    return this.#workers.get(run.workerId)?.send({ type: 'run.cancel', runId, reason }) ?? false;
  }

  /** Closes every worker connection. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#sweeper);
    for (const worker of this.#workers.values()) worker.socket.close(1001, 'api stopping');
    for (const run of this.#runs.values()) run.reject(new WorkerLostError(run.runId, run.workerId));
    this.#runs.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(ws: WebSocket, token: WorkerTokenIdentity): void {
    let worker: WorkerConnection | undefined;
    const hello = setTimeout(() => ws.close(4408, 'no hello'), 10_000);
    const refuse = (code: number, reason: string): void => {
      this.#options.log.warn(
        { worker: worker?.workerId, token: token.name, code, reason },
        'worker message refused: closing the connection',
      );
      ws.close(code, closeReason(reason));
    };
    ws.on('message', (data) => {
      if (ws.readyState !== ws.OPEN) return; // closing: nothing more is taken from it
      const checked = checkWorkerMessage(data);
      if (!checked.ok) {
        refuse(checked.code, checked.reason);
        return;
      }
      const message = checked.message;
      if (worker === undefined) {
        if (message.type !== 'hello') {
          refuse(WorkerCloseCodes.invalidMessage, `${message.type} before hello`);
          return;
        }
        clearTimeout(hello);
        worker = this.#register(ws, message, token);
        return;
      }
      if (worker.socket !== ws) return;
      if (message.type === 'hello') {
        refuse(WorkerCloseCodes.invalidMessage, 'hello sent twice');
        return;
      }
      worker.lastSeen = this.#now();
      takeReport(this.#reports, worker, message);
    });
    ws.on('close', () => {
      clearTimeout(hello);
      if (worker === undefined || worker.socket !== ws) return;
      this.#options.log.warn({ worker: worker.workerId }, 'worker disconnected');
      for (const runId of worker.runs) {
        const run = this.#runs.get(runId);
        if (run !== undefined) run.unconfirmedSince ??= this.#now();
      }
      if (!this.#closing) this.#options.onWorkersChanged?.();
    });
    ws.on('error', (error) => this.#options.log.warn({ err: error }, 'worker socket error'));
  }

  #register(
    ws: WebSocket,
    hello: Extract<WorkerMessage, { type: 'hello' }>,
    token: WorkerTokenIdentity,
  ): WorkerConnection | undefined {
    const known = this.#workers.get(hello.workerId);
    let worker: WorkerConnection;
    if (known !== undefined && known.token.id !== token.id) {
      this.#options.log.warn(
        { worker: hello.workerId, token: token.name, holder: known.token.name },
        'worker refused: its id belongs to a worker of another token',
      );
      ws.close(WorkerCloseCodes.workerIdTaken, 'worker id in use under another worker token');
      return undefined;
    }
    if (known !== undefined) {
      if (known.connected)
        known.socket.close(WorkerCloseCodes.replaced, 'replaced by a new connection');
      known.replaceSocket(ws);
      known.lastSeen = this.#now();
      worker = known;
      for (const runId of hello.running) {
        const run = ownRun(this.#runs, worker, runId);
        if (run !== undefined) run.unconfirmedSince = undefined;
      }
    } else {
      worker = new WorkerConnection({
        workerId: hello.workerId,
        token,
        capacity: Math.max(1, Math.min(64, Math.floor(hello.capacity))),
        version: hello.version,
        socket: ws,
        now: this.#now(),
      });
      this.#workers.set(worker.workerId, worker);
    }
    worker.send({ type: 'welcome', heartbeatMs: this.#heartbeatMs });
    this.#options.log.info(
      { worker: worker.workerId, capacity: worker.capacity, token: token.name },
      'worker connected',
    );
    this.#wakeSlotWaiters();
    this.#options.onWorkersChanged?.();
    return worker;
  }

  /** Forgets `worker` now: closes its socket (4401) and gives its runs up as lost. */
  #letGo(worker: WorkerConnection, why: string): void {
    this.#workers.delete(worker.workerId);
    this.#options.log.warn(
      { worker: worker.workerId, token: worker.token.name, runs: [...worker.runs], why },
      'worker disconnected by the API',
    );
    if (worker.connected) worker.socket.close(WorkerCloseCodes.unauthorized, closeReason(why));
    for (const runId of [...worker.offered]) this.#runs.get(runId)?.started(false, why);
    for (const runId of [...worker.runs]) {
      const run = this.#runs.get(runId);
      this.#runs.delete(runId);
      run?.reject(new WorkerLostError(runId, worker.workerId, why));
    }
    worker.runs.clear();
    this.#wakeSlotWaiters();
    if (!this.#closing) this.#options.onWorkersChanged?.();
  }

  async #offer(
    worker: WorkerConnection,
    assignment: RunAssignment,
    sink: RunEventSink,
  ): Promise<{ ok: true; finish: Promise<RemoteRunResult> } | { ok: false; reason: string }> {
    const { runId } = assignment;
    let answer!: (value: { accepted: boolean; reason?: string }) => void;
    const answered = new Promise<{ accepted: boolean; reason?: string }>((resolve) => {
      answer = resolve;
    });
    let resolveFinish!: (result: RemoteRunResult) => void;
    let rejectFinish!: (error: Error) => void;
    const finish = new Promise<RemoteRunResult>((resolve, reject) => {
      resolveFinish = resolve;
      rejectFinish = reject;
    });
    // The run can be lost (its token revoked) before the caller awaits it: not unhandled.
    finish.catch(() => {});
    let done = false;
    this.#runs.set(runId, {
      runId,
      workerId: worker.workerId,
      sink,
      resolve: resolveFinish,
      reject: rejectFinish,
      chain: Promise.resolve(),
      lastStored: 0,
      unconfirmedSince: undefined,
      started: (accepted, reason) => {
        if (done) return;
        done = true;
        answer({ accepted, ...(reason === undefined ? {} : { reason }) });
      },
    });
    worker.offered.add(runId);
    const timer = setTimeout(
      () => this.#runs.get(runId)?.started(false, 'no answer to run.start within 10 s'),
      10_000,
    );
    if (!worker.send({ type: 'run.start', run: assignment }))
      this.#runs.get(runId)?.started(false, 'worker not connected');
    const result = await answered;
    clearTimeout(timer);
    worker.offered.delete(runId);
    if (!result.accepted) {
      this.#runs.delete(runId);
      this.#wakeSlotWaiters();
      return { ok: false, reason: result.reason ?? 'rejected' };
    }
    return { ok: true, finish };
  }

  #closeRun(runId: string): void {
    const run = this.#runs.get(runId);
    if (run === undefined) return;
    this.#runs.delete(runId);
    const worker = this.#workers.get(run.workerId);
    worker?.runs.delete(runId);
    worker?.send({ type: 'run.closed', runId });
    this.#wakeSlotWaiters();
  }

  async #freeWorker(signal: AbortSignal): Promise<WorkerConnection> {
    for (;;) {
      signal.throwIfAborted();
      const candidates = [...this.#workers.values()]
        .filter((worker) => worker.connected && worker.free > 0)
        .sort((a, b) => b.free - a.free);
      if (candidates[0] !== undefined) return candidates[0];
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#slotWaiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.#slotWaiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  #wakeSlotWaiters(): void {
    for (const wake of [...this.#slotWaiters]) wake();
  }

  #sweep(): void {
    const connected = [...this.#workers.values()].filter((worker) => worker.connected);
    void this.#recheck
      .run(connected, (tokenId) => this.disconnectToken(tokenId))
      .catch((error: unknown) =>
        this.#options.log.warn({ err: error }, 'worker tokens could not be checked again'),
      );
    const now = this.#now();
    for (const worker of this.#workers.values()) {
      if (worker.connected && now - worker.lastSeen > this.#lostAfterMs) {
        this.#options.log.warn(
          { worker: worker.workerId },
          'worker silent: closing its connection',
        );
        worker.socket.terminate();
      }
    }
    for (const run of [...this.#runs.values()]) {
      if (run.unconfirmedSince === undefined || now - run.unconfirmedSince <= this.#lostAfterMs)
        continue;
      this.#runs.delete(run.runId);
      this.#workers.get(run.workerId)?.runs.delete(run.runId);
      run.reject(new WorkerLostError(run.runId, run.workerId));
      this.#wakeSlotWaiters();
    }
    for (const [id, worker] of this.#workers) {
      if (!worker.connected && worker.runs.size === 0 && now - worker.lastSeen > this.#lostAfterMs)
        this.#workers.delete(id);
    }
  }
}
