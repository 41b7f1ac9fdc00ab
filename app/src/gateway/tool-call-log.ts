import type { Knex } from 'knex';

/** One audit record as the API shows it. */
export interface ToolCallEntry {
  readonly id: number;
  readonly run_id: string;
  readonly tool_instance_id: string | null;
  readonly tool_instance_name: string | null;
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly decision: string;
  readonly status: string;
  readonly exit_code: number | null;
  readonly output_bytes: number;
  readonly duration_ms: number;
  readonly error: string | null;
  readonly started_at: string;
}

/** Reads the tool call audit log (the gateway writes it; nothing updates or deletes it). */
export class ToolCallLog {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** An incident's tool calls, oldest first, after the cursor `afterId`. */
  async forIncident(
    incidentId: string,
    options: { afterId: number; limit: number },
  ): Promise<ToolCallEntry[]> {
    const rows = (await this.#knex('tool_calls')
      .where({ incident_id: incidentId })
      .andWhere('id', '>', options.afterId)
      .orderBy('id')
      .limit(options.limit)) as (Omit<ToolCallEntry, 'id' | 'started_at'> & {
      id: string | number;
      started_at: Date;
    })[];
    return rows.map((row) => ({
      id: Number(row.id),
      run_id: row.run_id,
      tool_instance_id: row.tool_instance_id,
      tool_instance_name: row.tool_instance_name,
      tool: row.tool,
      arguments: row.arguments,
      decision: row.decision,
      status: row.status,
      exit_code: row.exit_code,
      output_bytes: row.output_bytes,
      duration_ms: row.duration_ms,
      error: row.error,
      started_at: row.started_at.toISOString(),
    }));
  }
}
