import type { ApiMessage } from '@akmatori/runner-codex';
import type { WebSocket } from 'ws';
import type { WorkerTokenIdentity } from './worker-tokens.js';

/** A connected worker, as the hub tracks it: its id is bound to the token it connected with. */
export class WorkerConnection {
  readonly workerId: string;
  /** The token it authenticated with; only a connection with the same token may take its id. */
  readonly token: WorkerTokenIdentity;
  readonly capacity: number;
  readonly version: string;
  readonly connectedAt: Date;
  /** Runs the hub gave this worker that have not been closed. */
  readonly runs = new Set<string>();
  /** Runs sent but not yet accepted or rejected. */
  readonly offered = new Set<string>();
  lastSeen: number;
  #socket: WebSocket;

  constructor(options: {
    workerId: string;
    token: WorkerTokenIdentity;
    capacity: number;
    version: string;
    socket: WebSocket;
    now: number;
  }) {
    this.workerId = options.workerId;
    this.token = options.token;
    this.capacity = options.capacity;
    this.version = options.version;
    this.#socket = options.socket;
    this.lastSeen = options.now;
    this.connectedAt = new Date(options.now);
  }

  /** The current socket (a reconnect replaces it). */
  get socket(): WebSocket {
    return this.#socket;
  }

  /** Replaces the socket after a reconnect. */
  replaceSocket(socket: WebSocket): void {
    this.#socket = socket;
  }

  /** True while the socket is open. */
  get connected(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  /** Slots free for new runs. */
  get free(): number {
    return this.capacity - this.runs.size - this.offered.size;
  }

  /** Sends a message if the socket is open; false when it is not. */
  send(message: ApiMessage): boolean {
    if (!this.connected) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }
}
