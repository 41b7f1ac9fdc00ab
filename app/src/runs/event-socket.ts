import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@akmatori/core';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator } from '../auth/authenticator.js';
import type { RunEventStream } from './run-event-stream.js';
import type { RunRepository, StoredRunEvent } from './run-repository.js';

/** Replay page size. */
const PAGE = 500;

/** The JSON a subscriber receives for each event. */
export function eventMessage(event: StoredRunEvent): Record<string, unknown> {
  return {
    id: event.id,
    incident_id: event.incidentId,
    run_id: event.runId,
    seq: event.seq,
    type: event.type,
    at: event.at.toISOString(),
    event: event.event,
  };
}

/**
 * `GET /ws/events`: run events pushed to subscribers as they are stored. Authenticated with a
 * login or API token (`Authorization: Bearer`, or `?access_token=` for browsers, which cannot
 * set headers on a WebSocket). `?after=<id>` replays every stored event after that cursor
 * first, then continues live without a gap; `?incident=<uuid>` narrows to one incident.
 */
export class EventSocket {
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #deps: {
    authenticator: Authenticator;
    runs: RunRepository;
    stream: RunEventStream;
    log: Logger;
  };

  constructor(deps: {
    authenticator: Authenticator;
    runs: RunRepository;
    stream: RunEventStream;
    log: Logger;
  }) {
    this.#deps = deps;
  }

  /** Takes an HTTP upgrade for `/ws/events`. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('access_token');
    try {
      await this.#deps.authenticator.authenticate(
        req.headers.authorization ?? (token === null ? undefined : `Bearer ${token}`),
      );
    } catch (error) {
      socket.end(
        `HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify({ code: 'AKM_AUTH_INVALID_TOKEN', message: (error as Error).message })}`,
      );
      return;
    }
    const afterParam = url.searchParams.get('after');
    const incident = url.searchParams.get('incident') ?? undefined;
    const after = afterParam === null ? undefined : Number(afterParam);
    if (after !== undefined && (!Number.isSafeInteger(after) || after < 0)) {
      socket.end(
        'HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\nafter must be a non-negative integer',
      );
      return;
    }
    this.#server.handleUpgrade(req, socket, head, (ws) => void this.#serve(ws, after, incident));
  }

  /** Closes every subscriber. */
  close(): void {
    for (const client of this.#server.clients) client.close(1001, 'server stopping');
    this.#server.close();
  }

  async #serve(
    ws: WebSocket,
    after: number | undefined,
    incident: string | undefined,
  ): Promise<void> {
    const { runs, stream } = this.#deps;
    const wanted = (event: StoredRunEvent): boolean =>
      incident === undefined || event.incidentId === incident;
    // Each run's events are stored and published in seq order, but runs interleave, so the
    // global id is no high-water mark for live events. A per-run seq is: it drops what the
    // replay already sent, and nothing else.
    const sentUpTo = new Map<string, number>();
    const send = (event: StoredRunEvent): void => {
      if (event.seq <= (sentUpTo.get(event.runId) ?? 0)) return;
      sentUpTo.set(event.runId, event.seq);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(eventMessage(event)));
    };
    let live = after === undefined;
    const buffered: StoredRunEvent[] = [];
    const unsubscribe = stream.subscribe((event) => {
      if (!wanted(event)) return;
      if (live) send(event);
      else buffered.push(event);
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
    if (after === undefined) return;
    try {
      let cursor = after;
      for (;;) {
        const page = await runs.eventsAfter(cursor, {
          limit: PAGE,
          ...(incident === undefined ? {} : { incidentId: incident }),
        });
        for (const event of page) send(event);
        cursor = page.at(-1)?.id ?? cursor;
        if (page.length < PAGE) break;
      }
      for (const event of buffered.splice(0).sort((a, b) => a.id - b.id)) send(event);
      live = true;
    } catch (error) {
      this.#deps.log.error({ err: error }, 'event replay failed');
      ws.close(1011, 'replay failed');
    }
  }
}
