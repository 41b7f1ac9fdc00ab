import type { RunEvent } from '@akmatori/core';
import type { Knex } from 'knex';

/** `investigation` for the first run of an incident, `follow_up` for an operator's question. */
export type RunKind = 'investigation' | 'follow_up';

/** Where a run is. */
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Token counts of a run. */
export interface RunUsage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
}

/** One run as stored. */
export interface RunRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly prompt: string;
  readonly attempt: number;
  readonly workerId: string | null;
  readonly sessionId: string | null;
  readonly error: string | null;
  readonly reportMarkdown: string | null;
  readonly report: Readonly<Record<string, unknown>> | null;
  readonly usage: RunUsage;
  readonly costUsd: number | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly durationMs: number | null;
  /** The skills a person named for this run (a follow-up); null: none named. */
  readonly skills: readonly string[] | null;
}

/** One stored run event, with its global cursor. */
export interface StoredRunEvent {
  /** Increases across all runs: the cursor `/ws/events` replays from. */
  readonly id: number;
  readonly runId: string;
  readonly incidentId: string;
  readonly seq: number;
  readonly type: RunEvent['type'];
  readonly event: RunEvent;
  readonly at: Date;
}

interface RunRow {
  id: string;
  incident_id: string;
  kind: RunKind;
  status: RunStatus;
  prompt: string;
  attempt: number;
  worker_id: string | null;
  session_id: string | null;
  error: string | null;
  report_markdown: string | null;
  report: Record<string, unknown> | null;
  input_tokens: string | number;
  cached_input_tokens: string | number;
  output_tokens: string | number;
  reasoning_tokens: string | number;
  cost_usd: string | number | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  skills: string[] | null;
}

interface EventRow {
  id: string | number;
  run_id: string;
  incident_id: string;
  seq: number;
  type: RunEvent['type'];
  event: RunEvent;
  at: Date;
}

const toRun = (row: RunRow): RunRecord => ({
  id: row.id,
  incidentId: row.incident_id,
  kind: row.kind,
  status: row.status,
  prompt: row.prompt,
  attempt: row.attempt,
  workerId: row.worker_id,
  sessionId: row.session_id,
  error: row.error,
  reportMarkdown: row.report_markdown,
  report: row.report,
  usage: {
    inputTokens: Number(row.input_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    outputTokens: Number(row.output_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
  },
  costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  durationMs: row.duration_ms,
  skills: row.skills ?? null,
});

/** Maps a stored event row. */
export const toStoredEvent = (row: EventRow): StoredRunEvent => ({
  id: Number(row.id),
  runId: row.run_id,
  incidentId: row.incident_id,
  seq: row.seq,
  type: row.type,
  event: row.event,
  at: row.at,
});

/** Reads and writes `runs`, `run_events` and `run_sessions`. */
export class RunRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Creates a queued run. */
  async create(run: {
    id: string;
    incidentId: string;
    kind: RunKind;
    prompt: string;
    attempt: number;
    at: Date;
    /** Skills a person named for the run; absent or null: none named. */
    skills?: readonly string[] | null;
  }): Promise<RunRecord> {
    const rows = (await this.#knex('runs')
      .insert({
        id: run.id,
        incident_id: run.incidentId,
        kind: run.kind,
        status: 'queued',
        prompt: run.prompt,
        attempt: run.attempt,
        created_at: run.at,
        skills: run.skills == null ? null : JSON.stringify(run.skills),
      })
      .returning('*')) as RunRow[];
    return toRun(rows[0] as RunRow);
  }

  /** A run by id. */
  async get(id: string): Promise<RunRecord | undefined> {
    const row = (await this.#knex('runs').where({ id }).first()) as RunRow | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  /** An incident's runs, oldest first. */
  async listByIncident(incidentId: string): Promise<RunRecord[]> {
    const rows = (await this.#knex('runs')
      .where({ incident_id: incidentId })
      .orderBy('created_at')) as RunRow[];
    return rows.map(toRun);
  }

  /**
   * The tokens the gateway's model proxy recorded for a run (what the provider reported for each
   * response), or undefined when it recorded none (a runner that calls no model through it).
   */
  async gatewayUsage(runId: string): Promise<RunUsage | undefined> {
    const sum = (column: string): Knex.Raw =>
      this.#knex.raw(`coalesce(sum(${column}), 0)::float8 as ${column}`);
    const row = (await this.#knex('model_usage')
      .where({ run_id: runId })
      .select(
        this.#knex.raw('count(*)::int as responses'),
        sum('input_tokens'),
        sum('cached_input_tokens'),
        sum('output_tokens'),
        sum('reasoning_tokens'),
      )
      .first()) as Record<string, number | string> | undefined;
    if (row === undefined || Number(row['responses']) === 0) return undefined;
    return {
      inputTokens: Number(row['input_tokens']),
      cachedInputTokens: Number(row['cached_input_tokens']),
      outputTokens: Number(row['output_tokens']),
      reasoningTokens: Number(row['reasoning_tokens']),
    };
  }

  /** The incident's run that is queued or running, if any. */
  async active(incidentId: string): Promise<RunRecord | undefined> {
    const row = (await this.#knex('runs')
      .where({ incident_id: incidentId })
      .whereIn('status', ['queued', 'running'])
      .orderBy('created_at', 'desc')
      .first()) as RunRow | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  /** Marks a queued run as started on a worker. */
  async markRunning(id: string, workerId: string, at: Date): Promise<void> {
    await this.#knex('runs')
      .where({ id, status: 'queued' })
      .update({ status: 'running', worker_id: workerId, started_at: at });
  }

  /** Ends a run that is not already ended; returns false when it was. */
  async finish(
    id: string,
    result: {
      status: Exclude<RunStatus, 'queued' | 'running'>;
      at: Date;
      error?: string | null;
      sessionId?: string | null;
      reportMarkdown?: string | null;
      report?: Record<string, unknown> | null;
      usage?: RunUsage;
      costUsd?: number | null;
    },
  ): Promise<boolean> {
    const run = await this.get(id);
    if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) return false;
    const usage = result.usage;
    const updated = await this.#knex('runs')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .update({
        status: result.status,
        finished_at: result.at,
        duration_ms: run.startedAt === null ? null : result.at.getTime() - run.startedAt.getTime(),
        error: result.error ?? null,
        session_id: result.sessionId ?? run.sessionId,
        report_markdown: result.reportMarkdown ?? null,
        report:
          result.report === undefined || result.report === null
            ? null
            : JSON.stringify(result.report),
        ...(usage === undefined
          ? {}
          : {
              input_tokens: usage.inputTokens,
              cached_input_tokens: usage.cachedInputTokens,
              output_tokens: usage.outputTokens,
              reasoning_tokens: usage.reasoningTokens,
            }),
        cost_usd: result.costUsd ?? null,
      });
    return updated > 0;
  }

  /** Stores an event once (a re-sent event with the same seq is ignored); returns it if new. */
  async appendEvent(event: {
    runId: string;
    incidentId: string;
    seq: number;
    event: RunEvent;
    at: Date;
  }): Promise<StoredRunEvent | undefined> {
    const rows = (await this.#knex('run_events')
      .insert({
        run_id: event.runId,
        incident_id: event.incidentId,
        seq: event.seq,
        type: event.event.type,
        event: JSON.stringify(event.event),
        at: event.at,
      })
      .onConflict(['run_id', 'seq'])
      .ignore()
      .returning('*')) as EventRow[];
    const row = rows[0];
    return row === undefined ? undefined : toStoredEvent(row);
  }

  /** Events after the cursor, oldest first; of one incident when given. */
  async eventsAfter(
    afterId: number,
    options: { incidentId?: string; limit: number },
  ): Promise<StoredRunEvent[]> {
    const query = this.#knex('run_events')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(options.limit);
    if (options.incidentId !== undefined) query.where({ incident_id: options.incidentId });
    return ((await query) as EventRow[]).map(toStoredEvent);
  }

  /** The stored events with these ids, in id order (ids no longer stored are left out). */
  async eventsByIds(ids: readonly number[]): Promise<StoredRunEvent[]> {
    if (ids.length === 0) return [];
    const rows = (await this.#knex('run_events')
      .whereIn('id', [...ids])
      .orderBy('id')) as EventRow[];
    return rows.map(toStoredEvent);
  }

  /** Stores the Codex session of an incident (replacing an older one). */
  async saveSession(
    incidentId: string,
    sessionId: string,
    archive: string,
    at: Date,
  ): Promise<void> {
    await this.#knex('run_sessions')
      .insert({ incident_id: incidentId, session_id: sessionId, archive, updated_at: at })
      .onConflict('incident_id')
      .merge(['session_id', 'archive', 'updated_at']);
  }

  /** The incident's stored Codex session, if any. */
  async session(incidentId: string): Promise<{ sessionId: string; archive: string } | undefined> {
    const row = (await this.#knex('run_sessions').where({ incident_id: incidentId }).first()) as
      { session_id: string; archive: string } | undefined;
    return row === undefined ? undefined : { sessionId: row.session_id, archive: row.archive };
  }
}
