import type { Clock, Logger } from '@akmatori/core';
import type { Database, IncidentStateChange, Repositories } from '@akmatori/host';
import { systemActor } from '@akmatori/host';
import { applyAlertEvents } from './apply-alert-events.js';
import { loadEngineState } from './engine-state.js';
import { incidentSummary, type IncidentEventBus } from './incident-event-bus.js';
import type { InvestigationQueue } from './investigation-queue.js';
import { holdBackOverCap } from './queue-cap.js';
import type { IngestPressure } from '../ingest/ingest-pressure.js';
import type { AlertInboxFeed } from '../ingest/journal/journal-feed.js';

/** Any 64-bit number unique to this lock; the engine runs in one replica at a time. */
const ENGINE_LOCK = 0x616b6d31; // "akm1"

/** What one batch did. */
export interface BatchResult {
  /** Alert events consumed. */
  readonly processed: number;
  /** Incidents opened. */
  readonly incidentsCreated: number;
  /** Incidents whose alerts all resolved. */
  readonly incidentsResolved: number;
  /** Resolved incidents reopened because one of their alerts fired again. */
  readonly incidentsReopened: number;
}

/** Options for {@link IncidentEngine}. */
export interface IncidentEngineOptions {
  /** Events per transaction. Default 2000. */
  readonly batchSize?: number;
  /** How often to look for events written by other replicas. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** During a storm, the longest the engine waits between batches. Default 2000 ms. */
  readonly maxDeferMs?: number;
  /**
   * How long after its alerts all resolved an incident is reopened by a new alert of its group,
   * instead of a new incident being opened. Default one hour ({@link REOPEN_WINDOW_MS}).
   */
  readonly reopenWindowMs?: number;
}

/** How long a resolved incident is reopened by its group's alerts firing again: one hour. */
export const REOPEN_WINDOW_MS = 3_600_000;

/**
 * Turns the inbox of received alerts into deduplicated alerts and incidents, off the webhook's
 * hot path. Each batch is one transaction holding an advisory lock, so replicas take turns and
 * a batch is applied completely or not at all: alerts, incidents, their investigation jobs,
 * and the events marked processed commit together.
 */
export class IncidentEngine {
  readonly #database: Database;
  readonly #repositories: Repositories;
  readonly #queue: InvestigationQueue;
  readonly #bus: IncidentEventBus;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #maxDeferMs: number;
  readonly #reopenWindowMs: number;
  readonly #pressure: IngestPressure | undefined;
  readonly #inbox: AlertInboxFeed | undefined;
  #lastBatchAt = 0;
  /** Events the last batch moved in from outside the table (the journal). */
  #lastMoved = 0;
  /** What an event has been costing a batch lately (moving average, ms). */
  #msPerEvent = 0.1;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #pendingWake = false;
  #current: Promise<BatchResult> | undefined;

  constructor(
    deps: {
      database: Database;
      repositories: Repositories;
      queue: InvestigationQueue;
      bus: IncidentEventBus;
      clock: Clock;
      log: Logger;
      /** When given, the engine steps aside while ingest is under a storm. */
      pressure?: IngestPressure;
      /** Alerts accepted outside the table (the embedded journal), moved in before each batch. */
      inbox?: AlertInboxFeed | undefined;
    },
    options: IncidentEngineOptions = {},
  ) {
    this.#pressure = deps.pressure;
    this.#inbox = deps.inbox;
    this.#maxDeferMs = options.maxDeferMs ?? 2000;
    this.#reopenWindowMs = options.reopenWindowMs ?? REOPEN_WINDOW_MS;
    this.#database = deps.database;
    this.#repositories = deps.repositories;
    this.#queue = deps.queue;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#batchSize = options.batchSize ?? 2000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  /** Starts processing in the background. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Tells the engine new events were stored. */
  nudge(): void {
    this.#pendingWake = true;
    this.#wake?.();
  }

  /** Processes until no event waits (or another replica holds the lock). For tests and the source test. */
  async drain(): Promise<void> {
    for (;;) {
      const result = await this.processBatch();
      // A batch that applied nothing but moved events in (all of a deleted source) is progress.
      if (result.processed === 0 && this.#lastMoved === 0) return;
    }
  }

  /** Stops the background loop after the batch in progress. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** Processes one batch (of at most `limit` events); concurrent callers share the batch in progress. */
  processBatch(limit = this.#batchSize): Promise<BatchResult> {
    this.#current ??= this.#processBatch(limit).finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      if (this.#shouldDefer()) {
        await delay(100);
        continue;
      }
      try {
        // While webhooks are answered, short batches: on the embedded database a batch runs on
        // this thread, so a sender waits for the whole batch before its request is read.
        const ingesting = this.#pressure?.active === true;
        const limit = ingesting ? this.#pacedBatchSize() : this.#batchSize;
        const startedAt = performance.now();
        this.#lastBatchAt = startedAt;
        const result = await this.processBatch(limit);
        if (result.processed > 0)
          this.#msPerEvent =
            0.7 * this.#msPerEvent + (0.3 * (performance.now() - startedAt)) / result.processed;
        // More waits in the table, or outside it: the journal reads whole frames, so a batch
        // can come back short while alerts still wait there, or empty when all it moved
        // belonged to a source deleted meanwhile (dropped), with other sources' behind them.
        if (
          result.processed >= limit ||
          ((result.processed > 0 || this.#lastMoved > 0) && (this.#inbox?.pending ?? 0) > 0)
        ) {
          // Catching up while senders wait: at most half of the time goes to the engine, so a
          // backlog cannot starve the webhook (which would hide the load that should pace it).
          if (ingesting) await delay(performance.now() - startedAt);
          continue;
        }
      } catch (error) {
        this.#log.error({ err: error }, 'incident engine batch failed; retrying');
      }
      if (!this.#running) break;
      await this.#sleep();
    }
  }

  /** Events a batch may take while webhooks are answered: about {@link PACED_BATCH_MS} of work. */
  #pacedBatchSize(): number {
    const fits = Math.floor(PACED_BATCH_MS / this.#msPerEvent);
    return Math.min(PACED_BATCH_MAX, Math.max(PACED_BATCH_MIN, fits));
  }

  /**
   * During a storm the engine runs one batch every `maxDeferMs` at most, leaving the CPU and
   * the database to the webhook; it catches up as soon as the storm passes.
   */
  #shouldDefer(): boolean {
    return (
      this.#pressure?.high === true && performance.now() - this.#lastBatchAt < this.#maxDeferMs
    );
  }

  #sleep(): Promise<void> {
    if (this.#pendingWake) {
      this.#pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#pollIntervalMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        this.#pendingWake = false;
        done();
      };
    });
  }

  async #processBatch(limit: number): Promise<BatchResult> {
    this.#lastMoved = (await this.#inbox?.moveToTable(limit)) ?? 0;
    const now = this.#clock.now();
    const outcome = await this.#database.transaction(async (sql) => {
      const lock = await sql<{ locked: boolean }>(
        'select pg_try_advisory_xact_lock($1) as locked',
        [ENGINE_LOCK],
      );
      if (lock.rows[0]?.locked !== true) return undefined;
      const events = await this.#repositories.alertEvents.unprocessed(sql, limit);
      if (events.length === 0) return undefined;

      const state = await loadEngineState(
        sql,
        this.#repositories,
        events,
        new Date(now.getTime() - this.#reopenWindowMs),
      );
      const changes = applyAlertEvents(events, state, now);
      await this.#repositories.incidents.insertMany(sql, changes.incidents);
      await this.#repositories.alerts.insertMany(sql, changes.created);
      await this.#repositories.alerts.updateMany(sql, changes.updated);
      const counted = await this.#repositories.incidents.applyCounterDeltas(
        sql,
        changes.counters,
        now,
      );
      const heldBack = await holdBackOverCap(sql, changes.incidents, now);
      for (const incident of changes.incidents) {
        if (heldBack.has(incident.id)) continue;
        // The alert source test opens an incident that is investigated only when asked.
        if (incident.context?.test === true && incident.context.investigate !== true) continue;
        await this.#queue.enqueue(sql, { incidentId: incident.id }, incident.investigateAfter);
      }
      if (heldBack.size > 0)
        this.#log.warn(
          { heldBack: heldBack.size },
          'investigation queue of an alert source is full: new incidents stored but not queued',
        );
      await this.#repositories.alertEvents.markProcessed(
        sql,
        events.map((event) => event.id),
        now,
      );
      return {
        processed: events.length,
        created: changes.incidents.map((i) => i.id),
        resolved: counted.alertsResolved,
        stateChanges: counted.stateChanges,
        duplicates: changes.duplicates,
      };
    });
    if (outcome === undefined)
      return { processed: 0, incidentsCreated: 0, incidentsResolved: 0, incidentsReopened: 0 };
    const reopened = outcome.stateChanges.filter((change) => change.to === 'open').length;
    this.#log.debug(
      {
        processed: outcome.processed,
        incidents: outcome.created.length,
        resolved: outcome.resolved.length,
        reopened,
        duplicates: outcome.duplicates,
      },
      'alert events applied',
    );
    await this.#announce(outcome.created, outcome.resolved, outcome.stateChanges);
    return {
      processed: outcome.processed,
      incidentsCreated: outcome.created.length,
      incidentsResolved: outcome.resolved.length,
      incidentsReopened: reopened,
    };
  }

  async #announce(
    created: readonly string[],
    resolved: readonly string[],
    stateChanges: readonly IncidentStateChange[],
  ): Promise<void> {
    for (const id of created) {
      const incident = await this.#repositories.incidents.get(id);
      if (incident !== undefined)
        this.#bus.publish({ type: 'incident.created', incident: incidentSummary(incident) });
    }
    for (const id of resolved) {
      const incident = await this.#repositories.incidents.get(id);
      if (incident !== undefined)
        this.#bus.publish({
          type: 'incident.alerts_resolved',
          incident: incidentSummary(incident),
        });
    }
    for (const change of stateChanges) {
      const incident = await this.#repositories.incidents.get(change.id);
      if (incident !== undefined)
        this.#bus.publish({
          type: 'incident.state_changed',
          incident: incidentSummary(incident),
          from: change.from,
          by: systemActor,
        });
    }
  }
}

/**
 * How long a batch may hold the event loop (and the embedded engine's one session) while
 * webhooks are being answered. A 250-event batch took ~25 ms on the embedded database, and with
 * ten senders waiting behind it the webhook answered a tenth of what it could.
 */
const PACED_BATCH_MS = 4;
const PACED_BATCH_MIN = 8;
const PACED_BATCH_MAX = 250;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
