import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunEvent } from '@akmatori/core';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  WORKER_PATH,
  WORKER_PROTOCOL_VERSION,
  WorkerCloseCodes,
  type ApiMessage,
  type RunAssignment,
  type WorkerMessage,
} from '../protocol/worker-protocol.js';
import { MessageWaiters } from './message-waiters.js';

type Message<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;

/** How {@link startFakeApi} behaves. */
export interface FakeApiOptions {
  /** The worker token it accepts; any other is answered HTTP 401 with a JSON reason, as the API does. */
  readonly workerToken: string;
  /** Port on 127.0.0.1. Default: a free one. */
  readonly port?: number;
  /** `heartbeatMs` of its `welcome`. Default 30000. */
  readonly heartbeatMs?: number;
  /** Acknowledge each run's events as they arrive (cumulative, without gaps). Default true. */
  readonly autoAck?: boolean;
  /** Send `run.closed` once a run's `run.finished` and all its events arrived. Default true. */
  readonly autoClose?: boolean;
}

/** The API side of the worker protocol, in memory, for tests of workers. */
export interface FakeApi {
  /** `http://127.0.0.1:<port>`: the worker's `apiUrl`. */
  readonly url: string;
  /** The port it listens on (the same after {@link FakeApi.reopen}). */
  readonly port: number;
  /** Every message received from workers, in order (kept across {@link FakeApi.close}). */
  readonly received: readonly WorkerMessage[];
  /** How many connections were refused (bad token or protocol). */
  readonly refusals: number;
  /** The ids of the workers connected now. */
  workers(): string[];
  /** Sends `message` to worker `workerId`, or to the only one connected. */
  send(message: ApiMessage, workerId?: string): void;
  /** Sends `run.start`. */
  startRun(run: RunAssignment, workerId?: string): void;
  /** Sends `run.cancel`. */
  cancelRun(runId: string, reason?: string): void;
  /** Sends `ack` of every event of `runId` up to `seq`. */
  ack(runId: string, seq: number): void;
  /** Sends `run.closed`. */
  closeRun(runId: string): void;
  /** The events of a run, one per seq (duplicates dropped), in seq order. */
  events(runId: string): RunEvent[];
  /** The `run.event` messages of a run as they came, duplicates included. */
  eventMessages(runId: string): Message<'run.event'>[];
  /** Resolves with the first message received (now or before) of `type` matching `where`. */
  waitFor<T extends WorkerMessage['type']>(
    type: T,
    where?: (message: Message<T>) => boolean,
    timeoutMs?: number,
  ): Promise<Message<T>>;
  /** Drops every worker connection abruptly (as if the API crashed) and stops listening. */
  close(): Promise<void>;
  /** Listens again on the same port, keeping what was received. */
  reopen(): Promise<void>;
}

/**
 * Starts a fake API on 127.0.0.1 serving the worker protocol at {@link WORKER_PATH}: it checks
 * the bearer token, welcomes workers that say `hello` with the supported protocol, records
 * every message, acknowledges events and closes finished runs (both optional), and lets the
 * test send `run.start` and `run.cancel`.
 *
 * @example
 * ```ts
 * const api = await startFakeApi({ workerToken: 'wt' });
 * const worker = startWorker({ apiUrl: api.url, workerToken: 'wt', runsDir, log });
 * await worker.connected();
 * api.startRun(assignment);
 * const finished = await api.waitFor('run.finished');
 * ```
 */
export async function startFakeApi(options: FakeApiOptions): Promise<FakeApi> {
  const autoAck = options.autoAck ?? true;
  const autoClose = options.autoClose ?? true;
  const received: WorkerMessage[] = [];
  const sockets = new Map<string, WebSocket>();
  const stored = new Map<string, Map<number, Message<'run.event'>>>();
  const waiters = new MessageWaiters<WorkerMessage>(received);
  let refusals = 0;
  let server: WebSocketServer | undefined;
  let port = options.port ?? 0;

  const contiguous = (runId: string): number => {
    const seqs = stored.get(runId);
    let seq = 0;
    while (seqs?.has(seq + 1) === true) seq += 1;
    return seq;
  };

  function record(socket: WebSocket, message: WorkerMessage): void {
    received.push(message);
    if (message.type === 'run.event') {
      const seqs = stored.get(message.runId) ?? new Map<number, Message<'run.event'>>();
      stored.set(message.runId, seqs);
      if (!seqs.has(message.seq)) seqs.set(message.seq, message);
      if (autoAck)
        reply(socket, { type: 'ack', runId: message.runId, seq: contiguous(message.runId) });
    }
    if (
      message.type === 'run.finished' &&
      autoClose &&
      contiguous(message.runId) >= message.lastSeq
    ) {
      reply(socket, { type: 'run.closed', runId: message.runId });
    }
    waiters.check();
  }

  function accept(socket: WebSocket): void {
    let workerId: string | undefined;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as WorkerMessage;
      if (workerId === undefined) {
        if (message.type !== 'hello' || message.protocol !== WORKER_PROTOCOL_VERSION) {
          refusals += 1;
          socket.close(WorkerCloseCodes.unsupportedProtocol, 'unsupported protocol');
          return;
        }
        workerId = message.workerId;
        sockets.get(workerId)?.close(WorkerCloseCodes.replaced, 'replaced');
        sockets.set(workerId, socket);
        reply(socket, { type: 'welcome', heartbeatMs: options.heartbeatMs ?? 30_000 });
      }
      record(socket, message);
    });
    socket.on('close', () => {
      if (workerId !== undefined && sockets.get(workerId) === socket) sockets.delete(workerId);
    });
  }

  function target(workerId: string | undefined): WebSocket {
    const ids = [...sockets.keys()];
    const id = workerId ?? (ids.length === 1 ? ids[0] : undefined);
    const socket = id === undefined ? undefined : sockets.get(id);
    if (socket === undefined) {
      throw new Error(
        `no worker ${workerId ?? '(the only one)'} to send to; connected: ${ids.join(', ') || 'none'}`,
      );
    }
    return socket;
  }

  async function listen(): Promise<void> {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port,
      path: WORKER_PATH,
      verifyClient: (info: { req: IncomingMessage }, verified) => {
        if (info.req.headers.authorization === `Bearer ${options.workerToken}`) {
          verified(true);
          return;
        }
        refusals += 1;
        const body = JSON.stringify({
          statusCode: 401,
          code: 'AKM_WORKER_TOKEN_INVALID',
          error: 'Unauthorized',
          message: 'Unknown or revoked worker token',
        });
        verified(false, 401, body, { 'Content-Type': 'application/json' });
      },
    });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    wss.on('connection', accept);
    port = (wss.address() as AddressInfo).port;
    server = wss;
  }

  await listen();
  const toAll = (message: ApiMessage): void => {
    for (const socket of sockets.values()) reply(socket, message);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    get refusals() {
      return refusals;
    },
    workers: () => [...sockets.keys()],
    send: (message, workerId) => reply(target(workerId), message),
    startRun: (run, workerId) => reply(target(workerId), { type: 'run.start', run }),
    cancelRun: (runId, reason = 'cancelled by the test') =>
      toAll({ type: 'run.cancel', runId, reason }),
    ack: (runId, seq) => toAll({ type: 'ack', runId, seq }),
    closeRun: (runId) => toAll({ type: 'run.closed', runId }),
    events: (runId) =>
      [...(stored.get(runId)?.values() ?? [])]
        .sort((a, b) => a.seq - b.seq)
        .map((message) => message.event),
    eventMessages: (runId) =>
      received.filter(
        (m): m is Message<'run.event'> => m.type === 'run.event' && m.runId === runId,
      ),
    waitFor: (type, where = () => true, timeoutMs = 60_000) =>
      waiters.waitFor(
        `a ${type} message`,
        (message): message is Message<typeof type> =>
          message.type === type && where(message as Message<typeof type>),
        timeoutMs,
      ),
    close: async () => {
      const wss = server;
      server = undefined;
      if (wss === undefined) return;
      for (const socket of wss.clients) socket.terminate();
      sockets.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    reopen: async () => {
      if (server === undefined) await listen();
    },
  };
}

function reply(socket: WebSocket, message: ApiMessage): void {
  socket.send(JSON.stringify(message));
}
