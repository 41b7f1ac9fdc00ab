import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** How often the fake pings open sockets (Slack pings; the client drops a silent socket). */
const PING_INTERVAL_MS = 10_000;

/** The answer an app sent for one envelope. */
export interface EnvelopeAck {
  readonly envelopeId: string;
  readonly payload: Record<string, unknown>;
  /** Milliseconds from sending the envelope to the ack. */
  readonly afterMs: number;
}

/**
 * Socket Mode, as Slack runs it: `apps.connections.open` hands out a one-time URL; the socket
 * opens with `{"type":"hello"}`; events, interactions and slash commands arrive as envelopes
 * (`events_api`, `interactive`, `slash_commands`) that the app acknowledges by sending back
 * `{"envelope_id", "payload"}`.
 */
export class FakeSocketMode {
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #tickets = new Set<string>();
  readonly #sockets = new Set<WebSocket>();
  readonly #waiting = new Map<string, { sentAt: number; resolve: (ack: EnvelopeAck) => void }>();
  readonly #timer: NodeJS.Timeout;
  /** Every ack received, in order. */
  readonly acks: EnvelopeAck[] = [];

  constructor() {
    this.#timer = setInterval(() => {
      for (const socket of this.#sockets) socket.ping();
    }, PING_INTERVAL_MS);
    this.#timer.unref();
  }

  /** A one-time path for `apps.connections.open`. */
  issueTicket(): string {
    const ticket = randomUUID();
    this.#tickets.add(ticket);
    return `/link/?ticket=${ticket}`;
  }

  /** How many apps are connected. */
  get connections(): number {
    return this.#sockets.size;
  }

  /** Accepts an upgrade for a ticket issued and not used yet; refuses anything else. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(req.url ?? '/', 'http://fake').searchParams.get('ticket') ?? '';
    if (!this.#tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#server.handleUpgrade(req, socket, head, (ws) => {
      this.#sockets.add(ws);
      ws.on('close', () => this.#sockets.delete(ws));
      ws.on('message', (data) => this.#onMessage(String(data)));
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.#sockets.size,
          debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0AKMATORI' },
        }),
      );
    });
  }

  #onMessage(text: string): void {
    let message: { envelope_id?: string; payload?: Record<string, unknown> };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== 'string') return;
    const waiting = this.#waiting.get(message.envelope_id);
    const ack: EnvelopeAck = {
      envelopeId: message.envelope_id,
      payload: message.payload ?? {},
      afterMs: waiting === undefined ? -1 : Date.now() - waiting.sentAt,
    };
    this.acks.push(ack);
    if (waiting !== undefined) {
      this.#waiting.delete(message.envelope_id);
      waiting.resolve(ack);
    }
  }

  /**
   * Sends an envelope to one connected app and waits for its ack (Slack gives up after 3 s
   * and retries events; here the promise rejects after `timeoutMs`).
   */
  async deliver(
    type: 'events_api' | 'interactive' | 'slash_commands',
    payload: Record<string, unknown>,
    options: { retryAttempt?: number; timeoutMs?: number } = {},
  ): Promise<EnvelopeAck> {
    const socket = [...this.#sockets][0];
    if (socket === undefined) throw new Error('fake Slack: no app is connected over Socket Mode');
    const envelopeId = randomUUID();
    const acked = new Promise<EnvelopeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(envelopeId);
        reject(new Error(`fake Slack: envelope ${type} not acknowledged in time`));
      }, options.timeoutMs ?? 3000);
      this.#waiting.set(envelopeId, {
        sentAt: Date.now(),
        resolve: (ack) => {
          clearTimeout(timer);
          resolve(ack);
        },
      });
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api'
          ? {
              retry_attempt: options.retryAttempt ?? 0,
              retry_reason: options.retryAttempt ? 'timeout' : '',
            }
          : {}),
      }),
    );
    return acked;
  }

  /** Closes every socket and waits (briefly) for the clients' close handshakes. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    const closed = [...this.#sockets].map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.close(1001, 'fake Slack stopping');
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 1000).unref();
        }),
    );
    await Promise.all(closed);
    this.#server.close();
  }
}
