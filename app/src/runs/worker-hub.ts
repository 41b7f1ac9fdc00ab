import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { bearerMatches, type Logger, type RunEvent } from '@akmatori/core';
import {
  WORKER_PROTOCOL_VERSION,
  WorkerCloseCodes,
  type RunAssignment,
  type SessionArchive,
  type WorkerMessage,
} from '@akmatori/runner-codex';
import { WebSocketServer, type WebSocket } from 'ws';
import { WorkerConnection } from './worker-connection.js';

/** How a run ended on its worker. */
export interface RemoteRunResult {
  readonly outcome: 'completed' | 'failed' | 'cancelled';
  readonly workerId: string;
  readonly sessionId?: string;
  readonly session?: SessionArchive;
}

/** Raised when a run's worker disappeared before finishing it. */
export class WorkerLostError extends Error {
  constructor(
    readonly runId: string,
    readonly workerId: string,
  ) {
    super(`worker ${workerId} disappeared during run ${runId}`);
    this.name = 'WorkerLostError';
  }
}

/** What the hub does with each event of a run, in order, before acknowledging it. */
export type RunEventSink = (event: { seq: number; at: Date; event: RunEvent }) => Promise<void>;

interface RemoteRun {
  readonly runId: string;
  readonly workerId: string;
  readonly sink: RunEventSink;
  readonly resolve: (result: RemoteRunResult) => void;
  readonly reject: (error: Error) => void;
  /** Events are stored one after the other. */
  chain: Promise<void>;
  lastStored: number;
  /** Since when nobody has heard of the run (its worker is away), if so. */
  unconfirmedSince: number | undefined;
  started: (accepted: boolean, reason?: string) => void;
}

/** What {@link WorkerHub} needs. */
export interface WorkerHubOptions {
  /** Whether a worker token is valid. */
  readonly workerToken: () => string;
  readonly log: Logger;
  /** How often workers heartbeat; default 5 s. */
  readonly heartbeatMs?: number;
  /** A worker unheard of this long is gone, and its runs with it; default 3 heartbeats. */
  readonly lostAfterMs?: number;
  readonly now?: () => number;
  /** Called when a worker connects (or reconnects). */
  readonly onWorkerConnected?: () => void;
}

/**
 * The API's side of the run protocol: workers connect over WebSocket at `/ws/worker`, and
 * {@link WorkerHub.dispatch} hands a run to one with a free slot, passes its events to a sink
 * one by one (acknowledging each once stored, ignoring re-sent ones) and resolves when the
 * worker reports the end. A run whose worker stays away longer than `lostAfterMs` rejects
 * with {@link WorkerLostError}, so the caller can queue it again.
 */
export class WorkerHub {
  readonly #options: WorkerHubOptions;
  readonly #server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  readonly #workers = new Map<string, WorkerConnection>();
  readonly #runs = new Map<string, RemoteRun>();
  readonly #slotWaiters = new Set<() => void>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #now: () => number;

  constructor(options: WorkerHubOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.#sweep(), this.#heartbeatMs);
    this.#sweeper.unref();
  }

  get #heartbeatMs(): number {
    return this.#options.heartbeatMs ?? 5_000;
  }

  get #lostAfterMs(): number {
    return this.#options.lostAfterMs ?? 3 * this.#heartbeatMs;
  }

  /** The connected workers. */
  workers(): {
    workerId: string;
    capacity: number;
    running: number;
    version: string;
    connectedAt: Date;
  }[] {
    return [...this.#workers.values()]
      .filter((worker) => worker.connected)
      .map((worker) => ({
        workerId: worker.workerId,
        capacity: worker.capacity,
        running: worker.runs.size,
        version: worker.version,
        connectedAt: worker.connectedAt,
      }));
  }

  /** Takes an HTTP upgrade for the worker endpoint: checks the token, then speaks the protocol. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const authorized = bearerMatches(req.headers, this.#options.workerToken());
    this.#server.handleUpgrade(req, socket, head, (ws) => {
      if (!authorized) {
        this.#options.log.warn({ remote: req.socket.remoteAddress }, 'worker refused: bad token');
        ws.close(WorkerCloseCodes.unauthorized, 'bad worker token');
        return;
      }
      this.#accept(ws);
    });
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
    clearInterval(this.#sweeper);
    for (const worker of this.#workers.values()) worker.socket.close(1001, 'api stopping');
    for (const run of this.#runs.values()) run.reject(new WorkerLostError(run.runId, run.workerId));
    this.#runs.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(ws: WebSocket): void {
    let worker: WorkerConnection | undefined;
    const hello = setTimeout(() => ws.close(4408, 'no hello'), 10_000);
    ws.on('message', (data) => {
      let message: WorkerMessage;
      try {
        message = JSON.parse(String(data)) as WorkerMessage;
      } catch {
        ws.close(4400, 'not JSON');
        return;
      }
      if (worker === undefined) {
        if (message.type !== 'hello') return;
        clearTimeout(hello);
        if (message.protocol !== WORKER_PROTOCOL_VERSION) {
          ws.close(
            WorkerCloseCodes.unsupportedProtocol,
            `protocol ${WORKER_PROTOCOL_VERSION} only`,
          );
          return;
        }
        worker = this.#register(ws, message);
        return;
      }
      worker.lastSeen = this.#now();
      this.#handle(worker, message);
    });
    ws.on('close', () => {
      clearTimeout(hello);
      if (worker === undefined || worker.socket !== ws) return;
      this.#options.log.warn({ worker: worker.workerId }, 'worker disconnected');
      for (const runId of worker.runs) {
        const run = this.#runs.get(runId);
        if (run !== undefined) run.unconfirmedSince ??= this.#now();
      }
    });
    ws.on('error', (error) => this.#options.log.warn({ err: error }, 'worker socket error'));
  }

  #register(ws: WebSocket, hello: Extract<WorkerMessage, { type: 'hello' }>): WorkerConnection {
    const known = this.#workers.get(hello.workerId);
    let worker: WorkerConnection;
    if (known !== undefined) {
      if (known.connected)
        known.socket.close(WorkerCloseCodes.replaced, 'replaced by a new connection');
      known.replaceSocket(ws);
      known.lastSeen = this.#now();
      worker = known;
      for (const runId of hello.running) {
        const run = this.#runs.get(runId);
        if (run !== undefined) run.unconfirmedSince = undefined;
      }
    } else {
      worker = new WorkerConnection({
        workerId: hello.workerId,
        capacity: Math.max(1, Math.min(64, Math.floor(hello.capacity))),
        version: hello.version,
        socket: ws,
        now: this.#now(),
      });
      this.#workers.set(worker.workerId, worker);
    }
    worker.send({ type: 'welcome', heartbeatMs: this.#heartbeatMs });
    this.#options.log.info(
      { worker: worker.workerId, capacity: worker.capacity },
      'worker connected',
    );
    this.#wakeSlotWaiters();
    this.#options.onWorkerConnected?.();
    return worker;
  }

  #handle(worker: WorkerConnection, message: WorkerMessage): void {
    switch (message.type) {
      case 'heartbeat':
        for (const runId of message.running) {
          const run = this.#runs.get(runId);
          if (run !== undefined) run.unconfirmedSince = undefined;
        }
        return;
      case 'run.accepted':
      case 'run.rejected': {
        const run = this.#runs.get(message.runId);
        worker.offered.delete(message.runId);
        if (message.type === 'run.accepted') worker.runs.add(message.runId);
        run?.started(
          message.type === 'run.accepted',
          message.type === 'run.rejected' ? message.reason : undefined,
        );
        return;
      }
      case 'run.event': {
        const run = this.#runs.get(message.runId);
        if (run === undefined) {
          worker.send({ type: 'run.closed', runId: message.runId });
          return;
        }
        run.unconfirmedSince = undefined;
        const { seq } = message;
        run.chain = run.chain.then(async () => {
          if (seq <= run.lastStored) {
            worker.send({ type: 'ack', runId: run.runId, seq: run.lastStored });
            return;
          }
          await run.sink({ seq, at: new Date(message.at), event: message.event });
          run.lastStored = seq;
          this.#workers.get(run.workerId)?.send({ type: 'ack', runId: run.runId, seq });
        });
        run.chain.catch((error: unknown) => {
          this.#options.log.error({ err: error, run: run.runId }, 'run event not stored');
        });
        return;
      }
      case 'run.finished': {
        const run = this.#runs.get(message.runId);
        if (run === undefined) {
          worker.send({ type: 'run.closed', runId: message.runId });
          return;
        }
        run.unconfirmedSince = undefined;
        void run.chain.then(() => {
          if (run.lastStored < message.lastSeq) return; // the missing events will be re-sent, then this again
          this.#closeRun(run.runId);
          run.resolve({
            outcome: message.outcome,
            workerId: worker.workerId,
            ...(message.sessionId === undefined ? {} : { sessionId: message.sessionId }),
            ...(message.session === undefined ? {} : { session: message.session }),
          });
        });
        return;
      }
      default:
        return;
    }
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
