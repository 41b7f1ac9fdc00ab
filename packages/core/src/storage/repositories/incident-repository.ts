import type { Knex } from 'knex';
import type { AlertSeverity } from '../../contracts/alert.js';
import type { IncidentStatus } from '../../contracts/incident.js';
import { CoreErrors } from '../../errors/catalog.js';
import { canTransition } from '../../incidents/lifecycle.js';
import { isUuid } from '../ids.js';
import type { SqlExecutor } from '../sql.js';

/** An incident: a group of alerts (or a manual task) and its investigation. */
export interface IncidentRecord {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: AlertSeverity;
  sourceId: string | null;
  sourceType: string;
  groupKey: string | null;
  task: string | null;
  context: Record<string, unknown> | null;
  alertCount: number;
  firingCount: number;
  investigateAfter: Date;
  alertsResolvedAt: Date | null;
  summary: string | null;
  /** Skills a person named for a manual incident; null (or absent): none named. */
  skills?: readonly string[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An incident to insert. */
export type NewIncident = Pick<
  IncidentRecord,
  | 'id'
  | 'title'
  | 'severity'
  | 'sourceId'
  | 'sourceType'
  | 'groupKey'
  | 'task'
  | 'context'
  | 'investigateAfter'
  | 'createdAt'
>;

/** Filters for listing incidents; all optional and combined with AND. */
export interface IncidentFilter {
  readonly statuses?: readonly IncidentStatus[];
  readonly severities?: readonly AlertSeverity[];
  readonly sourceId?: string;
  readonly sourceType?: string;
  readonly createdFrom?: Date;
  readonly createdTo?: Date;
  /** Case-insensitive text searched in title, summary and task. */
  readonly text?: string;
}

interface IncidentRow {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: AlertSeverity;
  source_id: string | null;
  source_type: string;
  group_key: string | null;
  task: string | null;
  context: Record<string, unknown> | null;
  alert_count: number;
  firing_count: number;
  investigate_after: Date;
  alerts_resolved_at: Date | null;
  summary: string | null;
  skills?: string[] | null;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (row: IncidentRow): IncidentRecord => ({
  id: row.id,
  title: row.title,
  status: row.status,
  severity: row.severity,
  sourceId: row.source_id,
  sourceType: row.source_type,
  groupKey: row.group_key,
  task: row.task,
  context: row.context,
  alertCount: row.alert_count,
  firingCount: row.firing_count,
  investigateAfter: row.investigate_after,
  alertsResolvedAt: row.alerts_resolved_at,
  summary: row.summary,
  skills: row.skills ?? null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Reads and writes `incidents`. Engine methods run inside the engine's transaction. */
export class IncidentRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Open incidents (some alert still firing) for the given (source, group key) pairs. */
  async openForGroups(
    sql: SqlExecutor,
    keys: readonly { sourceId: string; groupKey: string }[],
  ): Promise<{ id: string; sourceId: string; groupKey: string }[]> {
    if (keys.length === 0) return [];
    const result = await sql<{ id: string; source_id: string; group_key: string }>(
      `select i.id, i.source_id, i.group_key from incidents i
       join jsonb_to_recordset($1::jsonb) as k(s uuid, g text) on i.source_id = k.s and i.group_key = k.g
       where i.alerts_resolved_at is null`,
      [JSON.stringify(keys.map((key) => ({ s: key.sourceId, g: key.groupKey })))],
    );
    return result.rows.map((row) => ({
      id: row.id,
      sourceId: row.source_id,
      groupKey: row.group_key,
    }));
  }

  /** Inserts incidents in one statement (status `pending`). */
  async insertMany(sql: SqlExecutor, incidents: readonly NewIncident[]): Promise<void> {
    if (incidents.length === 0) return;
    await sql(
      `insert into incidents (id, title, severity, source_id, source_type, group_key, task, context, investigate_after, created_at, updated_at)
       select id, title, severity, source_id, source_type, group_key, task, context, investigate_after, created_at, created_at
       from jsonb_to_recordset($1::jsonb) as r(id uuid, title text, severity text, source_id uuid, source_type text,
         group_key text, task text, context jsonb, investigate_after timestamptz, created_at timestamptz)`,
      [
        JSON.stringify(
          incidents.map((incident) => ({
            id: incident.id,
            title: incident.title,
            severity: incident.severity,
            source_id: incident.sourceId,
            source_type: incident.sourceType,
            group_key: incident.groupKey,
            task: incident.task,
            context: incident.context,
            investigate_after: incident.investigateAfter.toISOString(),
            created_at: incident.createdAt.toISOString(),
          })),
        ),
      ],
    );
  }

  /**
   * Adds each incident's counter changes from one engine batch: alerts added, change in
   * firing alerts, the most urgent new severity (an incident keeps its most urgent one). An
   * incident whose firing count reaches zero is marked resolved. Returns the incidents
   * resolved by this call.
   */
  async applyCounterDeltas(
    sql: SqlExecutor,
    deltas: ReadonlyMap<string, { added: number; firing: number; severity: AlertSeverity | null }>,
    at: Date,
  ): Promise<string[]> {
    if (deltas.size === 0) return [];
    const rank = (column: string): string =>
      `case ${column} when 'critical' then 1 when 'high' then 2 when 'warning' then 3 when 'info' then 4 else 5 end`;
    const result = await sql<{ id: string }>(
      `with d as (
         select * from jsonb_to_recordset($1::jsonb) as d(id uuid, added int, firing int, severity text)
       ), updated as (
         update incidents i set
           alert_count = i.alert_count + d.added,
           firing_count = greatest(i.firing_count + d.firing, 0),
           severity = case when ${rank('d.severity')} < ${rank('i.severity')} then d.severity else i.severity end,
           alerts_resolved_at = case when i.firing_count + d.firing <= 0 then coalesce(i.alerts_resolved_at, $2::timestamptz) else null end,
           updated_at = $2::timestamptz
         from d where i.id = d.id
         returning i.id, i.alerts_resolved_at
       )
       select id from updated where alerts_resolved_at = $2::timestamptz`,
      [JSON.stringify([...deltas].map(([id, delta]) => ({ id, ...delta }))), at.toISOString()],
    );
    return result.rows.map((row) => row.id);
  }

  /** How many incidents have an alert still firing. */
  async countOpen(): Promise<number> {
    const row = (await this.#knex('incidents')
      .whereNull('alerts_resolved_at')
      .whereNotNull('source_id')
      .count({ n: '*' })
      .first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  /** The incident with this id, if any. */
  async get(id: string): Promise<IncidentRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.#knex('incidents').where({ id }).first()) as IncidentRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** A page of incidents matching `filter`, newest first, with the total count. */
  async list(
    filter: IncidentFilter,
    page: number,
    perPage: number,
  ): Promise<{ data: IncidentRecord[]; total: number }> {
    const query = this.#knex('incidents').where((builder) => {
      if (filter.statuses?.length) void builder.whereIn('status', [...filter.statuses]);
      if (filter.severities?.length) void builder.whereIn('severity', [...filter.severities]);
      if (filter.sourceId !== undefined)
        void builder.where('source_id', isUuid(filter.sourceId) ? filter.sourceId : null);
      if (filter.sourceType !== undefined) void builder.where('source_type', filter.sourceType);
      if (filter.createdFrom !== undefined)
        void builder.where('created_at', '>=', filter.createdFrom);
      if (filter.createdTo !== undefined) void builder.where('created_at', '<', filter.createdTo);
      if (filter.text !== undefined && filter.text !== '') {
        const pattern = `%${filter.text.replace(/[\\%_]/g, '\\$&')}%`;
        void builder.where((text) => {
          void text
            .whereILike('title', pattern)
            .orWhereILike('summary', pattern)
            .orWhereILike('task', pattern);
        });
      }
    });
    const [countRow] = (await query.clone().count({ n: '*' })) as { n: number | string }[];
    const rows = (await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(perPage)
      .offset((page - 1) * perPage)) as IncidentRow[];
    return { data: rows.map(toRecord), total: Number(countRow?.n ?? 0) };
  }

  /**
   * Moves an incident to `to` only if it is in one of `from` (a compare-and-set, so two
   * workers cannot both start one investigation). Returns the updated incident or undefined.
   * Every `from → to` must be allowed by the lifecycle (`incidentTransitions`); asking for
   * another is a programming error (`AKM_INCIDENT_TRANSITION_INVALID`).
   */
  async transition(
    id: string,
    from: readonly IncidentStatus[],
    to: IncidentStatus,
    at: Date,
    patch: { summary?: string } = {},
  ): Promise<IncidentRecord | undefined> {
    const illegal = from.filter((status) => !canTransition(status, to));
    if (illegal.length > 0) throw CoreErrors.AKM_INCIDENT_TRANSITION_INVALID({ from: illegal, to });
    const rows = (await this.#knex('incidents')
      .where({ id })
      .whereIn('status', [...from])
      .update({
        status: to,
        updated_at: at,
        ...(patch.summary === undefined ? {} : { summary: patch.summary }),
      })
      .returning('*')) as IncidentRow[];
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }
}
