import { randomUUID } from 'node:crypto';
import type { IncidentEvent, IncidentSummary, Logger } from '@akmatori/core';
import type { ChannelListener, Database } from '@akmatori/host';
import type { Revocations } from '../auth/revocations.js';
import type { AlertSourceCache } from '../ingest/alert-source-cache.js';
import { IncidentEventBus } from '../incidents/incident-event-bus.js';
import { RunEventStream } from './run-event-stream.js';
import type { RunRepository } from './run-repository.js';

/** The PostgreSQL channel the API replicas signal each other on. */
export const REPLICA_CHANNEL = 'akmatori_replicas';
/** How long a cancel waits for the replica holding the run to say it has it. */
const CANCEL_ACK_MS = 2_000;
/** Run event ids per notification (a payload is at most 8000 bytes). */
const IDS_PER_NOTICE = 400;
/** An incident title longer than this is cut in a notification (the socket shows a summary). */
const TITLE_CHARS = 1_000;

/** What replicas tell each other; `from` is the sender's replica id. */
type Notice =
  | { from: string; t: 'run'; ids: number[] }
  | { from: string; t: 'incident'; type: IncidentEvent['type']; incident: WireSummary }
  | { from: string; t: 'revoked' }
  | { from: string; t: 'source'; id: string }
  | { from: string; t: 'cancel'; run: string; reason: string; request: string }
  | { from: string; t: 'cancel-held'; request: string };

/** A notice as it is queued: the sender's id is added when it is sent. */
type Outgoing = Notice extends infer N ? (N extends Notice ? Omit<N, 'from'> : never) : never;

type WireSummary = Omit<IncidentSummary, 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
};

/** What the feed needs. */
export interface ReplicaFeedDeps {
  readonly database: Database & Required<Pick<Database, 'listen'>>;
  readonly runs: Pick<RunRepository, 'eventsByIds' | 'eventsAfter'>;
  /** This process's run events, as its workers report them. */
  readonly localRuns: RunEventStream;
  /** This process's incident changes. */
  readonly localIncidents: IncidentEventBus;
  readonly revocations: Revocations;
  /** The webhook's alert source cache: a source changed anywhere is dropped everywhere. */
  readonly sources: Pick<AlertSourceCache, 'invalidate' | 'onInvalidate'>;
  /** Cancels a run in progress in this process; false when it is not here. */
  readonly cancelHere: (runId: string, reason: string) => boolean;
  readonly log: Logger;
}

/**
 * What several API replicas on one PostgreSQL database share beyond their tables, through
 * `LISTEN`/`NOTIFY` on {@link REPLICA_CHANNEL}: each run event stored here (its id; the others
 * read the row), each incident change, each credential revocation, each alert source changed
 * (dropped from every webhook cache), and cancel requests for runs held elsewhere. {@link runEvents} and {@link incidentEvents} carry this replica's own
 * events and every other replica's, for the live event sockets; notifiers stay on the local
 * streams, so each change is notified once, by the replica that made it.
 *
 * Notifications are small (ids and summaries) and sent in the order they were made.
 */
export class ReplicaFeed {
  /** Every replica's stored run events, each once (for `/ws/events`). */
  readonly runEvents = new RunEventStream();
  /** Every replica's incident changes (for `/ws/events`). */
  readonly incidentEvents: IncidentEventBus;
  /** This replica's id in notifications (its own are ignored when they come back). */
  readonly id = randomUUID();
  readonly #deps: ReplicaFeedDeps;
  readonly #stops: (() => void)[] = [];
  readonly #waitingCancels = new Map<string, () => void>();
  #listener: ChannelListener | undefined;
  /** Notifications are sent one after another, so they arrive in the order they were made. */
  #sending: Promise<void> = Promise.resolve();
  #pendingIds: number[] = [];
  /** Run events are read and delivered one notification after another, in order. */
  #delivering: Promise<void> = Promise.resolve();
  /** The highest run event id delivered (catch-up after a reconnect starts after it). */
  #highest = 0;

  constructor(deps: ReplicaFeedDeps) {
    this.#deps = deps;
    this.incidentEvents = new IncidentEventBus(deps.log);
  }

  /** Starts listening, then passes this replica's events on. */
  async start(): Promise<void> {
    const { database, localRuns, localIncidents, revocations, log } = this.#deps;
    this.#listener = await database.listen(REPLICA_CHANNEL, {
      onMessage: (payload) => this.#receive(payload),
      onReconnect: () => {
        log.warn('replica channel reconnected: catching up on run events');
        this.#catchUp();
      },
      onError: (error) => log.warn({ err: error }, 'replica channel lost; reconnecting'),
    });
    this.#stops.push(
      localRuns.subscribe((event) => {
        this.#highest = Math.max(this.#highest, event.id);
        this.runEvents.publish(event);
        this.#pendingIds.push(event.id);
        if (this.#pendingIds.length === 1) this.#send(() => this.#takeIds());
      }),
      localIncidents.subscribe((event) => {
        this.incidentEvents.publish(event);
        this.#send(() => ({ t: 'incident', type: event.type, incident: wire(event.incident) }));
      }),
      revocations.subscribe((origin) => {
        if (origin === 'here') this.#send(() => ({ t: 'revoked' }));
      }),
      this.#deps.sources.onInvalidate((id, origin) => {
        if (origin === 'here') this.#send(() => ({ t: 'source', id }));
      }),
    );
  }

  /**
   * Asks the other replicas to cancel a run this one does not hold; true when one of them
   * said it holds it (and is stopping it) within 2 s.
   */
  async cancelElsewhere(runId: string, reason: string): Promise<boolean> {
    const request = randomUUID();
    const held = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#waitingCancels.delete(request);
        resolve(false);
      }, CANCEL_ACK_MS);
      this.#waitingCancels.set(request, () => {
        clearTimeout(timer);
        this.#waitingCancels.delete(request);
        resolve(true);
      });
    });
    this.#send(() => ({ t: 'cancel', run: runId, reason, request }));
    return held;
  }

  /** Stops listening and passing events on. */
  async stop(): Promise<void> {
    for (const stop of this.#stops.splice(0)) stop();
    await this.#sending;
    await this.#listener?.close();
    this.#listener = undefined;
  }

  #takeIds(): Outgoing | undefined {
    const ids = this.#pendingIds.splice(0, IDS_PER_NOTICE);
    if (this.#pendingIds.length > 0) this.#send(() => this.#takeIds());
    return ids.length === 0 ? undefined : { t: 'run', ids };
  }

  /** Queues a notification; `make` runs when its turn comes (so run ids sent batch up). */
  #send(make: () => Outgoing | undefined): void {
    this.#sending = this.#sending.then(async () => {
      const notice = make();
      if (notice === undefined) return;
      try {
        await this.#deps.database.executeSql('select pg_notify($1, $2)', [
          REPLICA_CHANNEL,
          JSON.stringify({ ...notice, from: this.id }),
        ]);
      } catch (error) {
        this.#deps.log.warn({ err: error, notice: notice.t }, 'replica notification not sent');
      }
    });
  }

  #receive(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    if (notice.from === this.id) return;
    switch (notice.t) {
      case 'run':
        this.#deliver(() => this.#deps.runs.eventsByIds(notice.ids));
        return;
      case 'incident':
        this.incidentEvents.publish({
          type: notice.type,
          incident: {
            ...notice.incident,
            createdAt: new Date(notice.incident.createdAt),
            updatedAt: new Date(notice.incident.updatedAt),
          },
        } as IncidentEvent);
        return;
      case 'revoked':
        this.#deps.revocations.notify('replica');
        return;
      case 'source':
        this.#deps.sources.invalidate(notice.id, 'replica');
        return;
      case 'cancel':
        if (this.#deps.cancelHere(notice.run, notice.reason))
          this.#send(() => ({ t: 'cancel-held', request: notice.request }));
        return;
      case 'cancel-held':
        this.#waitingCancels.get(notice.request)?.();
        return;
      default:
        return;
    }
  }

  /** After a lost connection: delivers what was stored since the last event heard of. */
  #catchUp(): void {
    if (this.#highest === 0) return; // nothing heard of yet: nothing to catch up on
    this.#deliver(() => this.#deps.runs.eventsAfter(this.#highest, { limit: 1_000 }));
  }

  #deliver(read: () => ReturnType<RunRepository['eventsByIds']>): void {
    this.#delivering = this.#delivering.then(async () => {
      try {
        for (const event of await read()) {
          this.#highest = Math.max(this.#highest, event.id);
          this.runEvents.publish(event);
        }
      } catch (error) {
        this.#deps.log.warn({ err: error }, 'run events of another replica not read');
      }
    });
  }
}

function wire(summary: IncidentSummary): WireSummary {
  return {
    ...summary,
    title:
      summary.title.length > TITLE_CHARS
        ? `${summary.title.slice(0, TITLE_CHARS)}…`
        : summary.title,
    createdAt: summary.createdAt.toISOString(),
    updatedAt: summary.updatedAt.toISOString(),
  };
}
