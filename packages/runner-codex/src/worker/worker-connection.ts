import type { IncomingMessage } from 'node:http';
import type { Logger } from '@akmatori/core';
import WebSocket, { type RawData } from 'ws';
import {
  WorkerCloseCodes,
  type ApiMessage,
  type WorkerMessage,
} from '../protocol/worker-protocol.js';
import { reconnectDelay, type ResolvedWorkerOptions } from './worker-options.js';

/** What the worker does at each step of the connection. */
export interface WorkerConnectionHandlers {
  /** The `hello` to send when a socket opens. */
  hello(): WorkerMessage;
  /** The `heartbeat` to send every heartbeat interval. */
  heartbeat(): WorkerMessage;
  /** The API said `welcome`: messages can flow (send what is owed). */
  ready(): void;
  /** Any other message from the API. */
  message(message: ApiMessage): void;
}

/** How long the API may take to answer `hello` with `welcome`, in milliseconds. */
const WELCOME_TIMEOUT_MS = 10_000;
/** Heartbeat intervals without any sign of the API (message or pong) before the socket is dropped. */
const SILENT_HEARTBEATS = 3;

/**
 * The worker's WebSocket to the API: opens it with the worker token, says `hello`, waits for
 * `welcome`, sends heartbeats (and pings, dropping a socket the API stopped answering), and
 * reconnects with exponential backoff and jitter whenever it closes, except when the API
 * refuses the worker for good: its token (HTTP 401 before the upgrade, or close code 4401 when
 * the token is revoked while connected), the protocol version, or its worker id (in use under
 * another token). Then it gives up, logs an error with the API's reason, and
 * {@link WorkerConnection.refused} settles.
 */
export class WorkerConnection {
  #socket: WebSocket | undefined;
  #ready = false;
  #attempt = 0;
  #closed = false;
  #refusal: Error | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #welcomeTimer: NodeJS.Timeout | undefined;
  #lastSign = 0;
  #waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #announceRefusal!: (error: Error) => void;
  /** Resolves with the reason once the API has refused this worker for good. */
  readonly refused: Promise<Error> = new Promise((resolve) => {
    this.#announceRefusal = resolve;
  });

  constructor(
    private readonly settings: Pick<
      ResolvedWorkerOptions,
      | 'socketUrl'
      | 'workerToken'
      | 'heartbeatMs'
      | 'reconnectInitialMs'
      | 'reconnectMaxMs'
      | 'reconnectJitter'
    >,
    private readonly handlers: WorkerConnectionHandlers,
    private readonly log: Logger,
  ) {}

  /** Whether the API has welcomed the current socket. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Opens the first socket. */
  start(): void {
    this.#connect();
  }

  /** Resolves when the API has welcomed the worker (at once if it has); rejects once it never will. */
  whenReady(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    if (this.#refusal !== undefined) return Promise.reject(this.#refusal);
    if (this.#closed) return Promise.reject(new Error('the worker has stopped'));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Sends `message` if the API has welcomed the current socket; returns whether it did. */
  send(message: WorkerMessage): boolean {
    if (!this.#ready || this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes the socket for good (code 1000) and stops reconnecting. */
  async close(reason = 'worker stopping'): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#settleWaiters(new Error('the worker has stopped'));
    const socket = this.#socket;
    this.#dropSocket();
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close(1000, reason);
    const timer = setTimeout(() => socket.terminate(), 2_000);
    await gone;
    clearTimeout(timer);
  }

  #connect(): void {
    if (this.#closed) return;
    const socket = new WebSocket(this.settings.socketUrl, {
      headers: { authorization: `Bearer ${this.settings.workerToken}` },
      handshakeTimeout: WELCOME_TIMEOUT_MS,
    });
    this.#socket = socket;
    socket.on('open', () => {
      this.#lastSign = Date.now();
      socket.send(JSON.stringify(this.handlers.hello()));
      this.#welcomeTimer = setTimeout(() => {
        this.log.warn({ timeoutMs: WELCOME_TIMEOUT_MS }, 'the API did not welcome the worker');
        socket.terminate();
      }, WELCOME_TIMEOUT_MS);
    });
    socket.on('message', (data: RawData) => {
      if (socket !== this.#socket) return;
      this.#lastSign = Date.now();
      this.#receive(data);
    });
    socket.on('pong', () => {
      this.#lastSign = Date.now();
    });
    socket.on('unexpected-response', (_request, response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      void refusalReason(response).then((reason) => {
        const why = `HTTP ${status}${reason === undefined ? '' : `: ${reason}`}`;
        if (status === 401 || status === 403) {
          this.#refuse(`the API refused the worker token (${why})`);
        } else {
          this.log.warn({ status, reason }, 'the API did not take the worker connection');
        }
        socket.terminate();
      });
    });
    socket.on('error', (error) => {
      this.log.debug({ err: error }, 'worker connection error');
    });
    socket.on('close', (code: number, reason: Buffer) => {
      if (socket !== this.#socket) return;
      this.#dropSocket();
      const said = reason.toString();
      if (code === WorkerCloseCodes.unauthorized) {
        this.#refuse(`the API refused the worker token (close code ${code}: ${said})`);
      } else if (code === WorkerCloseCodes.unsupportedProtocol) {
        this.#refuse(
          `the API does not support this worker's protocol (close code ${code}: ${said})`,
        );
      } else if (code === WorkerCloseCodes.workerIdTaken) {
        this.#refuse(`the API refused the worker id (close code ${code}: ${said})`);
      } else if (code === WorkerCloseCodes.invalidMessage || code === WorkerCloseCodes.tooLarge) {
        this.log.error(
          { code, reason: said },
          'the API refused a message of this worker and closed the connection',
        );
      } else if (code === WorkerCloseCodes.replaced) {
        this.log.error(
          { code },
          'another connection with this worker id replaced this one: is the worker id unique?',
        );
      }
      this.#scheduleReconnect(code);
    });
  }

  #receive(data: RawData): void {
    let message: ApiMessage;
    try {
      message = JSON.parse(data.toString()) as ApiMessage;
      if (typeof message !== 'object' || message === null || typeof message.type !== 'string') {
        throw new Error('no type');
      }
    } catch {
      this.log.warn('the API sent a message that is not a JSON object with a type; ignored');
      return;
    }
    if (message.type !== 'welcome') {
      this.handlers.message(message);
      return;
    }
    clearTimeout(this.#welcomeTimer);
    const heartbeatMs = this.settings.heartbeatMs ?? message.heartbeatMs;
    this.#ready = true;
    this.#attempt = 0;
    clearInterval(this.#heartbeatTimer);
    if (Number.isFinite(heartbeatMs) && heartbeatMs > 0) {
      this.#heartbeatTimer = setInterval(() => this.#beat(heartbeatMs), heartbeatMs);
    }
    this.log.info({ url: this.settings.socketUrl, heartbeatMs }, 'worker connected to the API');
    this.handlers.ready();
    this.#settleWaiters();
  }

  #beat(heartbeatMs: number): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    if (Date.now() - this.#lastSign > SILENT_HEARTBEATS * heartbeatMs) {
      this.log.warn({ heartbeatMs }, 'the API stopped answering; reconnecting');
      socket.terminate();
      return;
    }
    this.send(this.handlers.heartbeat());
    socket.ping();
  }

  #refuse(why: string): void {
    if (this.#refusal !== undefined) return;
    this.#refusal = new Error(why);
    this.log.error(`${why}; not reconnecting`);
    this.#settleWaiters(this.#refusal);
    this.#announceRefusal(this.#refusal);
  }

  #scheduleReconnect(code: number): void {
    if (this.#closed || this.#refusal !== undefined) return;
    const delayMs = reconnectDelay(this.#attempt, this.settings);
    this.#attempt += 1;
    this.log.info({ code, delayMs, attempt: this.#attempt }, 'worker disconnected; reconnecting');
    this.#reconnectTimer = setTimeout(() => this.#connect(), delayMs);
  }

  #dropSocket(): void {
    this.#ready = false;
    clearTimeout(this.#welcomeTimer);
    clearInterval(this.#heartbeatTimer);
    this.#socket = undefined;
  }

  #settleWaiters(error?: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }
}

/** Longest refusal body read, in bytes. */
const MAX_REASON_BYTES = 4096;

/**
 * The reason in a refusal's body: the `message` of the API's JSON error, else the text itself
 * (both cut to a line); undefined when there is none or it does not arrive within 2 s.
 */
async function refusalReason(response: IncomingMessage): Promise<string | undefined> {
  const body = await new Promise<string>((resolve) => {
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      response.removeAllListeners('data');
      resolve(text);
    };
    const timer = setTimeout(done, 2_000);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      text += chunk;
      if (text.length >= MAX_REASON_BYTES) done();
    });
    response.once('end', done);
    response.once('error', done);
    response.once('close', done);
  });
  let reason = body.trim();
  try {
    const parsed = JSON.parse(reason) as { message?: unknown };
    if (typeof parsed.message === 'string') reason = parsed.message;
  } catch {
    // Not JSON: the text is the reason.
  }
  reason = reason.replace(/\s+/g, ' ').slice(0, 500);
  return reason === '' ? undefined : reason;
}
