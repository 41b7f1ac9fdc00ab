import type { Logger } from '@akmatori/core';
import type { Database, SqlExecutor } from '@akmatori/host';
import PgBoss from 'pg-boss';

/** After waking the workers for a new job, wake them again this much later (see `#wake`). */
const WAKE_AGAIN_MS = 50;

/** The pg-boss queue investigations wait in. */
export const investigationQueueName = 'investigation';

/** A queued investigation. */
export interface InvestigationJob {
  /** The incident to investigate. */
  readonly incidentId: string;
  /** For a follow-up: the queued run carrying the operator's message. */
  readonly runId?: string;
  /**
   * Set when a person started this investigation (re-investigate): the skills they named, or
   * null for every enabled skill. Absent: the incident's own scope (its alert source's skills
   * and matching selectors, or a manual incident's named skills).
   */
  readonly requested?: { readonly skills: readonly string[] | null };
}

/** What the queue holds for one incident (see {@link InvestigationQueue.jobsOf}). */
export interface IncidentJobs {
  /** Jobs waiting to start (created, or failed and waiting to retry). */
  readonly waiting: readonly { readonly id: string; readonly followUp: boolean }[];
  /** Jobs being worked: the incident's run is going. */
  readonly active: number;
}

/** A maintenance job worked on the investigation queue's pg-boss instance (see {@link InvestigationQueue.maintenance}). */
export interface MaintenanceJob {
  /**
   * Enqueues a run unless one is already waiting (in any process), then wakes this process's
   * worker so the run starts without waiting for its next poll. True when this call enqueued it.
   */
  send(): Promise<boolean>;
}

/**
 * The durable investigation queue: pg-boss on the application database, through the same
 * connection gate as everything else (so the embedded engine runs the very same code).
 * Jobs are enqueued inside the transaction that creates their incident, so an incident and
 * its investigation exist together or not at all.
 */
export class InvestigationQueue {
  readonly #boss: PgBoss;
  readonly #database: Database;
  readonly #log: Logger;
  #started = false;
  /** This process's pg-boss workers on the investigation queue (see {@link wake}). */
  readonly #workers: string[] = [];
  #wakeAgain: NodeJS.Timeout | undefined;

  readonly #expireInSeconds: number;

  constructor(database: Database, log: Logger, runDeadlineSeconds = 1800) {
    this.#log = log;
    this.#database = database;
    this.#expireInSeconds = Math.min(4 * runDeadlineSeconds + 600, 86_400);
    this.#boss = new PgBoss({
      db: { executeSql: (text, values) => database.executeSql(text, values) },
      schema: 'pgboss',
      supervise: true,
      schedule: false,
      migrate: true,
    });
    this.#boss.on('error', (error: Error) => this.#log.error({ err: error }, 'job queue error'));
  }

  /** Creates or migrates the queue's tables and starts maintenance. */
  async start(): Promise<void> {
    await this.#boss.start();
    await this.#boss.createQueue(investigationQueueName, {
      name: investigationQueueName,
      retryLimit: 2,
      retryDelay: 5,
      // A job is active while its run goes on (waiting for a worker included): a run may take
      // its whole deadline, several times over when a worker is lost.
      expireInSeconds: this.#expireInSeconds,
    });
    this.#started = true;
  }

  /** Enqueues an investigation inside the caller's transaction, to start no earlier than `startAfter`. */
  async enqueue(sql: SqlExecutor, job: InvestigationJob, startAfter: Date): Promise<void> {
    await this.#boss.send(investigationQueueName, job, {
      startAfter,
      singletonKey: job.runId ?? job.incidentId,
      db: { executeSql: (text, values) => sql(text, values) },
    });
    if (startAfter.getTime() <= Date.now()) this.#wake();
  }

  /**
   * Wakes this process's idle workers, so a job due now starts without waiting for their next
   * poll (up to a second: half of the dispatch latency's median and most of its tail). The job
   * is visible once the caller's transaction commits. On the embedded engine a woken worker's
   * fetch waits behind that transaction on the one connection; on PostgreSQL it may run first
   * and find nothing, so the workers are woken again a moment later.
   */
  #wake(): void {
    for (const id of this.#workers) this.#boss.notifyWorker(id);
    if (this.#wakeAgain !== undefined) return;
    this.#wakeAgain = setTimeout(() => {
      this.#wakeAgain = undefined;
      for (const id of this.#workers) this.#boss.notifyWorker(id);
    }, WAKE_AGAIN_MS);
    this.#wakeAgain.unref();
  }

  /** The incident's jobs waiting to start or being worked, investigations and follow-ups alike. */
  async jobsOf(incidentId: string): Promise<IncidentJobs> {
    const { rows } = await this.#database.executeSql<{
      id: string;
      state: string;
      run_id: string | null;
    }>(
      `select id, state, data->>'runId' as run_id from pgboss.job
       where name = $1 and state in ('created', 'retry', 'active') and data->>'incidentId' = $2`,
      [investigationQueueName, incidentId],
    );
    return {
      waiting: rows
        .filter((row) => row.state !== 'active')
        .map((row) => ({ id: String(row.id), followUp: row.run_id !== null })),
      active: rows.filter((row) => row.state === 'active').length,
    };
  }

  /** Cancels jobs that have not started (see {@link jobsOf}): they will not run. */
  async cancel(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length > 0) await this.#boss.cancel(investigationQueueName, [...jobIds]);
  }

  /**
   * Runs `handler` for each job as it becomes due, one job at a time; a thrown error retries
   * the job. Returns the id that {@link stopWorking} takes.
   */
  async work(
    handler: (job: InvestigationJob) => Promise<void>,
    pollingIntervalSeconds = 1,
  ): Promise<string> {
    const id = await this.#boss.work<InvestigationJob>(
      investigationQueueName,
      { pollingIntervalSeconds, batchSize: 1 },
      async (jobs) => {
        for (const job of jobs) await handler(job.data);
      },
    );
    this.#workers.push(id);
    return id;
  }

  /** Stops taking jobs on the loop `id` from {@link work}; a job it has in hand runs to its end. */
  async stopWorking(id: string): Promise<void> {
    const index = this.#workers.indexOf(id);
    if (index >= 0) this.#workers.splice(index, 1);
    await this.#boss.offWork({ id });
  }

  /**
   * Works the maintenance job `name` in this process: a queue of its own on which at most one
   * job waits and one runs at a time across every process sharing the database (pg-boss's
   * `stately` policy under one singleton key). A failed run is not retried: the job's next
   * period runs it again. Call after {@link start}.
   */
  async maintenance(
    name: string,
    handler: () => Promise<void>,
    options: { expireInSeconds: number; pollingIntervalSeconds: number },
  ): Promise<MaintenanceJob> {
    await this.#boss.createQueue(name, {
      name,
      policy: 'stately',
      retryLimit: 0,
      expireInSeconds: options.expireInSeconds,
    });
    const worker = await this.#boss.work(
      name,
      { pollingIntervalSeconds: options.pollingIntervalSeconds, batchSize: 1 },
      async () => handler(),
    );
    return {
      send: async () => {
        const id = await this.#boss.send(name, {}, { singletonKey: name });
        this.#boss.notifyWorker(worker);
        return id !== null;
      },
    };
  }

  /** Jobs waiting to run (created or retrying), due or not. */
  async waiting(): Promise<number> {
    return this.#boss.getQueueSize(investigationQueueName);
  }

  /** Stops polling and maintenance; waits briefly for running handlers. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    clearTimeout(this.#wakeAgain);
    this.#workers.length = 0;
    await this.#boss.stop({ graceful: true, close: false, wait: true, timeout: 10_000 });
  }
}
