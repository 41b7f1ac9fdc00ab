import { randomUUID } from 'node:crypto';
import type { Database } from '@akmatori/host';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** `days` days (plus `hours` hours) before `now`. */
export const ago = (now: Date, days: number, hours = 0): Date =>
  new Date(now.getTime() - days * DAY_MS - hours * HOUR_MS);

/** Rows of every kind retention prunes, written straight to the tables. */
export class RetentionFixtures {
  readonly #database: Database;
  #sourceId: string | undefined;

  constructor(database: Database) {
    this.#database = database;
  }

  /** The alert source the fixtures' alerts and incidents come from. */
  async sourceId(): Promise<string> {
    if (this.#sourceId === undefined) {
      const [row] = (await this.#database
        .knex('alert_sources')
        .insert({ source_type: 'alertmanager', name: 'retention fixtures' })
        .returning('id')) as { id: string }[];
      this.#sourceId = row!.id;
    }
    return this.#sourceId;
  }

  /**
   * An incident with one alert, one run (with one event and a Codex session) and one approval.
   * `closedAt` sets both its last change and its alerts' resolution; `firing` leaves an alert firing.
   */
  async incident(options: {
    status: 'pending' | 'investigating' | 'completed' | 'failed' | 'cancelled';
    changedAt: Date;
    alertsResolvedAt?: Date | null;
    manual?: boolean;
    runStatus?: 'queued' | 'running' | 'completed' | 'failed';
  }): Promise<{ incidentId: string; runId: string }> {
    const knex = this.#database.knex;
    const manual = options.manual === true;
    const sourceId = manual ? null : await this.sourceId();
    const resolvedAt = options.alertsResolvedAt ?? null;
    const [incident] = (await knex('incidents')
      .insert({
        title: 'fixture',
        status: options.status,
        severity: 'warning',
        source_id: sourceId,
        source_type: manual ? 'manual' : 'alertmanager',
        alert_count: manual ? 0 : 1,
        firing_count: manual || resolvedAt !== null ? 0 : 1,
        investigate_after: options.changedAt,
        alerts_resolved_at: resolvedAt,
        created_at: options.changedAt,
        updated_at: options.changedAt,
      })
      .returning('id')) as { id: string }[];
    const incidentId = incident!.id;
    if (!manual)
      await knex('alerts').insert({
        source_id: sourceId,
        incident_id: incidentId,
        fingerprint: randomUUID(),
        status: resolvedAt === null ? 'firing' : 'resolved',
        name: 'HighLoad',
        severity: 'warning',
        group_key: 'g',
        first_seen_at: options.changedAt,
        last_seen_at: options.changedAt,
      });
    const runId = randomUUID();
    await knex('runs').insert({
      id: runId,
      incident_id: incidentId,
      kind: 'investigation',
      status: options.runStatus ?? 'completed',
      prompt: 'investigate',
      created_at: options.changedAt,
    });
    await knex('run_events').insert({
      run_id: runId,
      incident_id: incidentId,
      seq: 1,
      type: 'run.started',
      event: JSON.stringify({ type: 'run.started' }),
      at: options.changedAt,
    });
    await knex('run_sessions').insert({
      incident_id: incidentId,
      session_id: 's',
      archive: 'a',
      updated_at: options.changedAt,
    });
    await knex('approvals').insert({
      run_id: runId,
      incident_id: incidentId,
      tool_instance_id: randomUUID(),
      tool: 'execute_command',
      summary: 'restart',
      details: '{}',
      status: 'denied',
      created_at: options.changedAt,
      expires_at: options.changedAt,
    });
    return { incidentId, runId };
  }

  /** One event of `runId` stored at `at`; returns its id. */
  async runEvent(runId: string, incidentId: string, at: Date, seq: number): Promise<string> {
    const [row] = (await this.#database
      .knex('run_events')
      .insert({
        run_id: runId,
        incident_id: incidentId,
        seq,
        type: 'agent.message',
        event: JSON.stringify({ type: 'agent.message', text: 'hi' }),
        at,
      })
      .returning('id')) as { id: string | number }[];
    return String(row!.id);
  }

  /** One (sealed-looking) run recording entry recorded at `at`; returns its id. */
  async runRecording(runId: string, incidentId: string, at: Date): Promise<string> {
    const [row] = (await this.#database
      .knex('run_recordings')
      .insert({
        run_id: runId,
        incident_id: incidentId,
        kind: 'tool',
        sealed: 'akm1:x:y',
        recorded_at: at,
      })
      .returning('id')) as { id: string | number }[];
    return String(row!.id);
  }

  /** One stored eval run started at `at`, with one result and its skill version; returns its id. */
  async evalRun(at: Date): Promise<string> {
    const knex = this.#database.knex;
    const id = randomUUID();
    await knex('eval_runs').insert({
      id,
      model: 'gpt-test',
      endpoint_host: 'llm.example',
      started_at: at,
      duration_ms: 1000,
      results: 1,
      passed: 1,
      tokens: 100,
      cost_usd: 0.01,
    });
    const [result] = (await knex('eval_results')
      .insert({
        run_id: id,
        scenario_id: 'disk-full',
        attempt: 1,
        passed: true,
        checks: JSON.stringify([]),
        tokens: 100,
        duration_ms: 1000,
      })
      .returning('id')) as { id: string | number }[];
    await knex('eval_result_skills').insert({
      result_id: result!.id,
      skill_name: 'disk-filling-up',
      skill_version: 'v1',
    });
    return id;
  }

  /** One model usage row recorded at `at`; returns its id. */
  async modelUsage(at: Date): Promise<string> {
    const [row] = (await this.#database
      .knex('model_usage')
      .insert({
        run_id: 'r',
        incident_id: randomUUID(),
        input_tokens: 1,
        cached_input_tokens: 0,
        output_tokens: 1,
        reasoning_tokens: 0,
        recorded_at: at,
      })
      .returning('id')) as { id: string | number }[];
    return String(row!.id);
  }

  /** One received webhook payload, applied (`processed`) or not; returns its id. */
  async alertEvent(receivedAt: Date, processed: boolean): Promise<string> {
    const [row] = (await this.#database
      .knex('alert_events')
      .insert({
        source_id: await this.sourceId(),
        received_at: receivedAt,
        alert: JSON.stringify({ fixture: true }),
        processed_at: processed ? receivedAt : null,
      })
      .returning('id')) as { id: string | number }[];
    return String(row!.id);
  }

  /** One tool call audit record recorded at `at`; returns its id. */
  async toolCall(at: Date): Promise<string> {
    const [row] = (await this.#database
      .knex('tool_calls')
      .insert({
        run_id: 'r',
        incident_id: randomUUID(),
        tool: 'execute_command',
        arguments: '{}',
        decision: 'allowed',
        status: 'ok',
        output_bytes: 0,
        duration_ms: 1,
        started_at: at,
        recorded_at: at,
      })
      .returning('id')) as { id: string | number }[];
    return String(row!.id);
  }

  /** An operator audit record made at `at`; returns its id. */
  async operatorAuditEntry(at: Date): Promise<string> {
    const [row] = (await this.#database
      .knex('audit_events')
      .insert({
        at,
        actor_kind: 'user',
        actor_name: 'admin',
        action: 'PATCH /api/users/:id',
        target: '{}',
        status: 200,
      })
      .returning('id')) as { id: string | number }[];
    return String(row!.id);
  }

  /** The id of a Slack event handled at `at`. */
  async slackEvent(eventId: string, at: Date): Promise<string> {
    await this.#database.knex('slack_events').insert({ event_id: eventId, received_at: at });
    return eventId;
  }

  /** The Slack event ids still remembered, sorted. */
  async slackEventIds(): Promise<string[]> {
    const rows = (await this.#database
      .knex('slack_events')
      .select('event_id')
      .orderBy('event_id')) as { event_id: string }[];
    return rows.map((row) => row.event_id);
  }

  /** The ids still in `table`, as strings. */
  async ids(table: string): Promise<string[]> {
    const rows = (await this.#database.knex(table).select('id').orderBy('id')) as {
      id: string | number;
    }[];
    return rows.map((row) => String(row.id));
  }

  /** How many rows of `table` name `incidentId`. */
  async countFor(table: string, incidentId: string): Promise<number> {
    const [row] = (await this.#database
      .knex(table)
      .where({ incident_id: incidentId })
      .count({ n: '*' })) as { n: string | number }[];
    return Number(row!.n);
  }
}
