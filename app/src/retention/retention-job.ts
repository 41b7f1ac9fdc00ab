import type { Clock, Logger } from '@akmatori/core';
import type { Database } from '@akmatori/host';
import type { InvestigationQueue, MaintenanceJob } from '../incidents/investigation-queue.js';
import type { PruneReport, RetentionPruner } from './retention-pruner.js';
import type { RetentionSettings } from './retention-settings.js';

/** The pg-boss queue retention runs wait in. */
export const retentionQueueName = 'retention';

/** The setting that records the period the retention job last ran for (`{period_start}`). */
export const RETENTION_LAST_RUN_KEY = 'retention.last_run';

/** The longest wait between two checks for a new period, whatever the period. */
const MAX_TICK_MS = 300_000;

/** What one run of the job did: pruned for its period, or found the period already done. */
export type RetentionOutcome =
  | { readonly period: Date; readonly report: PruneReport }
  | { readonly period: Date; readonly skipped: true };

/** What the retention job needs. */
export interface RetentionJobOptions {
  readonly database: Database;
  readonly queue: Pick<InvestigationQueue, 'maintenance'>;
  readonly settings: RetentionSettings;
  readonly pruner: RetentionPruner;
  readonly clock: Clock;
  /** Length of a period: the job runs once per period across all replicas. */
  readonly intervalSeconds: number;
  readonly log: Logger;
}

/**
 * Prunes old records once per period (`AKMATORI_RETENTION_INTERVAL`), through the durable
 * queue, however many API replicas run. Every replica checks every few minutes whether the
 * current period (time cut into fixed slots from the epoch) has been pruned, and if not
 * enqueues a run; the queue keeps at most one run waiting and one going. The run claims its
 * period in the `settings` table with a compare-and-set before it deletes anything, so a
 * second run for the same period (enqueued by another replica meanwhile) does nothing.
 *
 * @example
 * ```ts
 * const job = new RetentionJob({ database, queue, settings, pruner, clock, intervalSeconds: 3600, log });
 * await job.start(); // after queue.start()
 * ```
 */
export class RetentionJob {
  readonly #options: RetentionJobOptions;
  readonly #listeners = new Set<(outcome: RetentionOutcome) => void>();
  #job: MaintenanceJob | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RetentionJobOptions) {
    this.#options = options;
  }

  /** Starts working retention runs in this process and checking for a new period. */
  async start(): Promise<void> {
    const periodSeconds = this.#options.intervalSeconds;
    this.#job = await this.#options.queue.maintenance(retentionQueueName, () => this.#run(), {
      expireInSeconds: 3600,
      pollingIntervalSeconds: Math.min(60, periodSeconds),
    });
    this.#timer = setInterval(
      () => {
        this.tick().catch((error: unknown) =>
          this.#options.log.warn({ err: error }, 'retention: could not check for a new period'),
        );
      },
      Math.min(periodSeconds * 1000, MAX_TICK_MS),
    );
    this.#timer.unref();
  }

  /** Stops checking for new periods (the queue's own stop ends a run in progress). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Enqueues a run when the current period has not been pruned yet. True when this call
   * enqueued one; false when the period is done or a run is already waiting.
   */
  async tick(): Promise<boolean> {
    if (this.#job === undefined) return false;
    const last = await this.#options.database.executeSql<{ period_start: string | null }>(
      "select value->>'period_start' as period_start from settings where key = $1",
      [RETENTION_LAST_RUN_KEY],
    );
    const done = last.rows[0]?.period_start;
    if (done != null && new Date(done).getTime() >= this.#periodStart().getTime()) return false;
    return this.#job.send();
  }

  /** Calls `listener` after each run this process carries out; returns a function that stops it. */
  onRun(listener: (outcome: RetentionOutcome) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #run(): Promise<void> {
    const { clock, log } = this.#options;
    const period = this.#periodStart();
    if (!(await this.#claim(period))) {
      log.debug({ period }, 'retention: this period is already pruned');
      this.#emit({ period, skipped: true });
      return;
    }
    try {
      const retention = await this.#options.settings.get();
      const report = await this.#options.pruner.prune(retention, clock.now());
      log.info(
        { period, retention, pruned: report.pruned, unfinished: report.unfinished },
        report.unfinished.length === 0
          ? 'retention: old records pruned'
          : 'retention: old records pruned; more remain for the next period',
      );
      this.#emit({ period, report });
    } catch (error) {
      log.error({ err: error, period }, 'retention: pruning failed; the next period tries again');
      throw error;
    }
  }

  /** Records `period` as pruned unless it (or a later one) already is; true when this call did. */
  async #claim(period: Date): Promise<boolean> {
    const claimed = await this.#options.database.executeSql(
      `insert into settings (key, value, updated_at) values ($1, $2::jsonb, $3::timestamptz)
       on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
       where (settings.value->>'period_start')::timestamptz < (excluded.value->>'period_start')::timestamptz
       returning key`,
      [
        RETENTION_LAST_RUN_KEY,
        JSON.stringify({ period_start: period.toISOString() }),
        this.#options.clock.now().toISOString(),
      ],
    );
    return claimed.rows.length === 1;
  }

  #periodStart(): Date {
    const periodMs = this.#options.intervalSeconds * 1000;
    return new Date(Math.floor(this.#options.clock.now().getTime() / periodMs) * periodMs);
  }

  #emit(outcome: RetentionOutcome): void {
    for (const listener of this.#listeners) listener(outcome);
  }
}
