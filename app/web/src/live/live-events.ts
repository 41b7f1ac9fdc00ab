/** One event as `/ws/events` sends it. */
export interface LiveEvent {
  /** Global, increasing id: the cursor `?after=` resumes from. */
  readonly id: number;
  readonly incident_id: string;
  readonly run_id: string;
  readonly seq: number;
  /** The run event's type, e.g. `run.started`, `agent.message`, `run.failed`. */
  readonly type: string;
  readonly at: string;
  readonly event: unknown;
}

/** What {@link LiveEvents} uses of a WebSocket: the browser's, or `ws` in Node. */
export interface LiveSocket {
  /** 0 while connecting. */
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: ((event: { readonly code: number }) => void) | null;
  close(code?: number, reason?: string): void;
}

/** Where the connection is. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** The close code of a socket whose credential stopped working (logout, revocation...). */
export const CLOSE_CREDENTIAL_REVOKED = 4401;

/** What {@link LiveEvents} needs: how to get a ticket and where to connect. */
export interface LiveEventsOptions {
  /** A one-time ticket (`POST /api/events/ticket`); a rejection is retried with back-off. */
  ticket(): Promise<string>;
  /** The socket URL for a ticket, resuming after an event id when there is one. */
  url(ticket: string, after: number | undefined): string;
  /** Each event, in the order the server sent it. */
  onEvent(event: LiveEvent): void;
  /**
   * Each time the socket opens. What happened while no socket was open and is not replayed
   * (everything before the first event seen) is for the caller to fetch again.
   */
  onOpen?(info: { readonly resumedAfter: number | undefined }): void;
  /** Each change of {@link LiveStatus}. */
  onStatus?(status: LiveStatus): void;
  /** The credential stopped working (close 4401): nothing is retried. */
  onRevoked?(): void;
  /** The WebSocket implementation: the browser's by default (`ws` in Node tests). */
  WebSocket?: new (url: string) => LiveSocket;
  /** Milliseconds before reconnect attempt `n` (1, 2, ...). Default: 1 s doubling to 30 s, ±20%. */
  backoff?(attempt: number): number;
}

/**
 * Closes a socket; one still connecting is closed once it opens (closing it before, browsers
 * log an error about a socket closed before it was established).
 */
function closeSocket(socket: LiveSocket, code: number, reason: string): void {
  if (socket.readyState === 0) socket.onopen = () => socket.close(code, reason);
  else socket.close(code, reason);
}

function defaultBackoff(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** (attempt - 1));
  return base * (0.8 + Math.random() * 0.4);
}

/**
 * The live event socket, kept open: each connection authenticates with a fresh one-time
 * ticket (a credential never travels in the URL), and after a drop it reconnects with
 * back-off and resumes with `?after=<last event id>`, so the server replays what was missed.
 *
 * @example
 * ```ts
 * const live = new LiveEvents({
 *   ticket: async () => (await call(api.POST('/api/events/ticket'))).ticket,
 *   url: (ticket, after) => `wss://akmatori.example/ws/events?ticket=${ticket}`,
 *   onEvent: (event) => console.log(event.type),
 * });
 * live.start();
 * ```
 */
export class LiveEvents {
  readonly #options: LiveEventsOptions;
  #socket: LiveSocket | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #lastId: number | undefined;
  #running = false;
  #status: LiveStatus = 'stopped';

  constructor(options: LiveEventsOptions) {
    this.#options = options;
  }

  /** The id of the newest event received: where the next connection resumes. */
  get lastEventId(): number | undefined {
    return this.#lastId;
  }

  /** Where the connection is. */
  get status(): LiveStatus {
    return this.#status;
  }

  /** Connects (once; calling it again while running does nothing). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    void this.#connect();
  }

  /** Closes the socket and stops reconnecting. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket !== undefined) closeSocket(socket, 1000, 'stopped');
    this.#setStatus('stopped');
  }

  /**
   * Drops the current socket as a network failure would: the usual reconnect (after the
   * back-off) and resume follow.
   */
  drop(): void {
    if (this.#socket !== undefined) closeSocket(this.#socket, 4000, 'dropped by the client');
  }

  /**
   * Reconnects at once when waiting to reconnect (the network is back, the page is visible
   * again): no need to sit out the back-off.
   */
  reconnectNow(): void {
    if (!this.#running || this.#socket !== undefined || this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    this.#setStatus(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    let ticket: string;
    try {
      ticket = await this.#options.ticket();
    } catch {
      this.#retry();
      return;
    }
    if (!this.#running) return;
    const Socket =
      this.#options.WebSocket ??
      (globalThis as unknown as { WebSocket: new (url: string) => LiveSocket }).WebSocket;
    const resumedAfter = this.#lastId;
    const socket = new Socket(this.#options.url(ticket, resumedAfter));
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#setStatus('live');
      this.#options.onOpen?.({ resumedAfter });
    };
    socket.onmessage = (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(String(message.data)) as LiveEvent;
      } catch {
        return;
      }
      if (typeof event.id === 'number') this.#lastId = Math.max(this.#lastId ?? 0, event.id);
      this.#options.onEvent(event);
    };
    socket.onclose = (close) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (!this.#running) return;
      if (close.code === CLOSE_CREDENTIAL_REVOKED) {
        this.stop();
        this.#options.onRevoked?.();
        return;
      }
      this.#retry();
    };
  }

  #retry(): void {
    if (!this.#running) return;
    this.#attempt += 1;
    this.#setStatus('reconnecting');
    const wait = (this.#options.backoff ?? defaultBackoff)(this.#attempt);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, wait);
  }

  #setStatus(status: LiveStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#options.onStatus?.(status);
  }
}
