import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { isAkmatoriError, type IncidentEvent, type Logger } from '@akmatori/core';
import type { IncidentEventBus } from '../incidents/incident-event-bus.js';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import type { Revocations } from '../auth/revocations.js';
import { AppErrors } from '../errors.js';
import type { EventTickets } from './event-tickets.js';
import type { RunEventStream } from './run-event-stream.js';
import type { RunRepository, StoredRunEvent } from './run-repository.js';
import { refuseUpgrade } from './upgrade-refusal.js';

/** Replay page size. */
const PAGE = 500;

/** What the event socket needs. */
export interface EventSocketDeps {
  readonly authenticator: Authenticator;
  readonly tickets: EventTickets;
  readonly revocations: Revocations;
  readonly runs: RunRepository;
  readonly stream: RunEventStream;
  /** Incident changes (created, state and investigation changes), pushed live without replay. */
  readonly incidents?: IncidentEventBus | undefined;
  readonly log: Logger;
}

/**
 * A WebSocket close reason is at most 123 bytes (`ws` throws past that). Cut on bytes, a
 * split character decodes to U+FFFD, up to 2 bytes longer than what was cut.
 */
function closeReason(message: string): string {
  const bytes = Buffer.from(message);
  return bytes.length <= 123 ? message : bytes.subarray(0, 118).toString('utf8') + '...';
}

/**
 * The JSON a subscriber receives for an incident change: `kind: 'incident'`, no `id` (incident
 * changes are not replayed; a client refetches what it shows after it reconnects).
 */
export function incidentMessage(event: IncidentEvent): Record<string, unknown> {
  const { incident } = event;
  return {
    kind: 'incident',
    type: event.type,
    incident_id: incident.uuid,
    at: incident.updatedAt.toISOString(),
    incident: {
      uuid: incident.uuid,
      title: incident.title,
      state: incident.state,
      investigation_status: incident.status,
      severity: incident.severity,
      source_type: incident.sourceType,
    },
  };
}

/** The JSON a subscriber receives for each event. */
export function eventMessage(event: StoredRunEvent): Record<string, unknown> {
  return {
    kind: 'run',
    id: event.id,
    incident_id: event.incidentId,
    run_id: event.runId,
    seq: event.seq,
    type: event.type,
    at: event.at.toISOString(),
    event: event.event,
  };
}

/** How often open sockets re-check their credential when nothing announced a revocation. */
const RECHECK_INTERVAL_MS = 15_000;

/** The close code an event socket gets when its credential stops working. */
export const CLOSE_CREDENTIAL_REVOKED = 4401;

/**
 * `GET /ws/events`: run events pushed to subscribers as they are stored. Authenticated with a
 * login or API token in `Authorization: Bearer`, or, from a browser (which cannot set headers
 * on a WebSocket), a one-time `?ticket=` from `POST /api/events/ticket`: no credential ever
 * travels in a URL. `?after=<id>` replays every stored event after that cursor first, then
 * continues live without a gap; `?incident=<uuid>` narrows to one incident.
 *
 * An open socket is closed with {@link CLOSE_CREDENTIAL_REVOKED} once what it authenticated
 * with stops working (logout, password change, sessions ended, user disabled, token revoked
 * or expired): at once for revocations made through this process or (on PostgreSQL, through
 * the replica feed) another replica, within {@link RECHECK_INTERVAL_MS} for expiry and for a
 * replica's notice lost while the feed was reconnecting.
 */
export class EventSocket {
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #holders = new Map<WebSocket, Principal>();
  readonly #deps: EventSocketDeps;
  readonly #stopRevocations: () => void;
  readonly #timer: NodeJS.Timeout;
  /** The re-check pass under way, and the one queued after it. */
  #pass: Promise<void> | undefined;
  #nextPass: Promise<void> | undefined;
  /** How many revocations this process has announced. */
  #revocationsHeard = 0;

  constructor(deps: EventSocketDeps) {
    this.#deps = deps;
    this.#stopRevocations = deps.revocations.subscribe(() => {
      this.#revocationsHeard += 1;
      void this.recheck();
    });
    this.#timer = setInterval(() => void this.recheck(), RECHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Takes an HTTP upgrade for `/ws/events`. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // A revocation announced while this request is being authenticated finds no socket to
    // re-check yet: one seen here is checked again once the socket is held.
    const revocationsSeen = this.#revocationsHeard;
    let principal: Principal;
    try {
      principal = await this.#authenticate(req, url);
    } catch (error) {
      const known = isAkmatoriError(error);
      refuseUpgrade(socket, 401, {
        code: known ? error.code : 'AKM_AUTH_INVALID_TOKEN',
        message: known ? error.message : 'authentication failed',
      });
      return;
    }
    const afterParam = url.searchParams.get('after');
    const incident = url.searchParams.get('incident') ?? undefined;
    const after = afterParam === null ? undefined : Number(afterParam);
    if (after !== undefined && (!Number.isSafeInteger(after) || after < 0)) {
      refuseUpgrade(socket, 400, {
        code: 'AKM_VALIDATION',
        message: 'after must be a non-negative integer',
      });
      return;
    }
    this.#server.handleUpgrade(req, socket, head, (ws) => {
      this.#holders.set(ws, principal);
      ws.on('close', () => this.#holders.delete(ws));
      void this.#serve(ws, after, incident);
      if (this.#revocationsHeard !== revocationsSeen) void this.recheck();
    });
  }

  /**
   * Re-checks every open socket's credential and closes those that no longer work. Runs one
   * pass at a time; a request made during a pass runs one more pass after it (shared by every
   * request made meanwhile), and resolves when that pass is done: when it resolves, every
   * socket open at the call has been checked against the credentials as of the call.
   */
  recheck(): Promise<void> {
    if (this.#pass !== undefined) {
      this.#nextPass ??= this.#pass.then(() => {
        this.#nextPass = undefined;
        return this.recheck();
      });
      return this.#nextPass;
    }
    const pass = this.#checkAll().finally(() => {
      this.#pass = undefined;
    });
    this.#pass = pass;
    return pass;
  }

  /** Closes every subscriber. */
  close(): void {
    clearInterval(this.#timer);
    this.#stopRevocations();
    for (const client of this.#server.clients) client.close(1001, 'server stopping');
    this.#server.close();
  }

  /** One pass over every socket held when it starts; never rejects. */
  async #checkAll(): Promise<void> {
    await Promise.all(
      [...this.#holders].map(async ([ws, principal]) => {
        try {
          const current = await this.#deps.authenticator.reauthenticate(principal);
          if (this.#holders.has(ws)) this.#holders.set(ws, current);
        } catch (error) {
          if (!isAkmatoriError(error) || error.statusCode !== 401) {
            this.#deps.log.warn({ err: error }, 'event socket re-check failed; kept open');
            return;
          }
          this.#holders.delete(ws);
          ws.close(CLOSE_CREDENTIAL_REVOKED, closeReason(error.message));
        }
      }),
    );
  }

  #authenticate(req: IncomingMessage, url: URL): Promise<Principal> {
    if (url.searchParams.has('access_token')) {
      // Refused rather than ignored, whatever else the request carries: a token in a URL
      // lands in proxy and browser logs.
      return Promise.reject(AppErrors.AKM_TICKET_INVALID());
    }
    const ticket = url.searchParams.get('ticket');
    if (req.headers.authorization !== undefined || ticket === null) {
      return this.#deps.authenticator.authenticate(req.headers.authorization);
    }
    return this.#deps.tickets.redeem(ticket);
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
    const stopIncidents = this.#deps.incidents?.subscribe((event) => {
      if (incident !== undefined && event.incident.uuid !== incident) return;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(incidentMessage(event)));
    });
    if (stopIncidents !== undefined) {
      ws.on('close', stopIncidents);
      ws.on('error', stopIncidents);
    }
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
