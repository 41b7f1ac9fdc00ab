import type { Knex } from 'knex';
import {
  alertSeverities,
  type AlertSeverity,
  canTransition,
  type IncidentActor,
  type IncidentState,
  incidentStates,
  type IncidentStatus,
  incidentStatuses,
  statesLeadingTo,
} from '@akmatori/core';
import { HostErrors } from '../../errors/catalog.js';
import { isUuid } from '../ids.js';
import { toPgArray } from './alert-event-repository.js';
import {
  applyIncidentCounters,
  type CounterDelta,
  type CounterOutcome,
} from './incident-counters.js';
import type { SqlExecutor } from '../sql.js';
import {
  storedActor,
  toIncidentRecord,
  type IncidentRecord,
  type IncidentRow,
} from './incident-row.js';

export type { IncidentRecord } from './incident-row.js';

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
  /** Investigation states. */
  readonly statuses?: readonly IncidentStatus[];
  /** The incidents' own states. */
  readonly states?: readonly IncidentState[];
  readonly severities?: readonly AlertSeverity[];
  readonly sourceId?: string;
  readonly sourceType?: string;
  readonly createdFrom?: Date;
  readonly createdTo?: Date;
  /** Case-insensitive text searched in title, summary and task. */
  readonly text?: string;
}

/**
 * What a list of incidents is ordered by. `asc` puts first: the youngest (`age`), the most
 * urgent (`severity`), the earliest in the lifecycle (`state`, `investigation`), A before Z
 * (`title`, `source`), the fewest firing alerts (`alerts`). Ties are newest first.
 */
export interface IncidentSort {
  readonly key: 'age' | 'severity' | 'state' | 'investigation' | 'title' | 'source' | 'alerts';
  readonly order: 'asc' | 'desc';
}

/** One ORDER BY term: SQL with `?`/`??` placeholders and their bindings. */
interface OrderTerm {
  readonly sql: string;
  readonly bindings: readonly (string | number)[];
}

/** `column`, or its rank by the value's place in `values` (unknown values last). */
function termOf(column: string, order: 'asc' | 'desc', values?: readonly string[]): OrderTerm {
  if (values === undefined) return { sql: `?? ${order}`, bindings: [column] };
  const cases = values.map(() => 'when ? then ?').join(' ');
  return {
    sql: `case ?? ${cases} else ? end ${order}`,
    bindings: [column, ...values.flatMap((value, index) => [value, index]), values.length],
  };
}

/** The ORDER BY of `sort`, ending with the newest-first tie-break. */
function orderBy(sort: IncidentSort | undefined): OrderTerm {
  const terms: OrderTerm[] = [];
  if (sort !== undefined) {
    const order = sort.order;
    const byKey: Record<IncidentSort['key'], OrderTerm[]> = {
      // Age ascending is the youngest first: creation time descending.
      age: [termOf('created_at', order === 'asc' ? 'desc' : 'asc')],
      severity: [termOf('severity', order, alertSeverities)],
      state: [termOf('state', order, incidentStates)],
      investigation: [termOf('status', order, incidentStatuses)],
      title: [termOf('title', order)],
      source: [termOf('source_type', order)],
      alerts: [termOf('firing_count', order), termOf('alert_count', order)],
    };
    terms.push(...byKey[sort.key]);
  }
  terms.push(termOf('created_at', 'desc'), termOf('id', 'desc'));
  return {
    sql: terms.map((term) => term.sql).join(', '),
    bindings: terms.flatMap((term) => term.bindings),
  };
}

export type { CounterOutcome, IncidentStateChange } from './incident-counters.js';

/** Reads and writes `incidents`. Engine methods run inside the engine's transaction. */
export class IncidentRepository {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /**
   * The incident each (source, group key) pair's new alerts join: the group's incident with an
   * alert still firing, else the one whose alerts all resolved after `reopenAfter` (a new alert
   * then reopens it). Pairs with neither get a new incident.
   */
  async openForGroups(
    sql: SqlExecutor,
    keys: readonly { sourceId: string; groupKey: string }[],
    reopenAfter?: Date,
  ): Promise<{ id: string; sourceId: string; groupKey: string }[]> {
    if (keys.length === 0) return [];
    const result = await sql<{ id: string; source_id: string; group_key: string }>(
      `select distinct on (i.source_id, i.group_key) i.id, i.source_id, i.group_key from incidents i
       join jsonb_to_recordset($1::jsonb) as k(s uuid, g text) on i.source_id = k.s and i.group_key = k.g
       where i.alerts_resolved_at is null or i.alerts_resolved_at > $2::timestamptz
       order by i.source_id, i.group_key, i.alerts_resolved_at desc nulls first, i.created_at desc`,
      [
        JSON.stringify(keys.map((key) => ({ s: key.sourceId, g: key.groupKey }))),
        (reopenAfter ?? new Date(8.64e15)).toISOString(),
      ],
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
   * Applies one engine batch's counter changes: alerts resolved, and incidents resolved by
   * `system` or reopened (see {@link applyIncidentCounters}).
   */
  async applyCounterDeltas(
    sql: SqlExecutor,
    deltas: ReadonlyMap<string, CounterDelta>,
    at: Date,
  ): Promise<CounterOutcome> {
    return applyIncidentCounters(sql, deltas, at);
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
    return row === undefined ? undefined : toIncidentRecord(row);
  }

  /**
   * A page of incidents matching `filter` in the order `sort` asks for (newest first without
   * one), with the total count.
   */
  async list(
    filter: IncidentFilter,
    page: number,
    perPage: number,
    sort?: IncidentSort,
  ): Promise<{ data: IncidentRecord[]; total: number }> {
    const query = this.#knex('incidents').where((builder) => {
      if (filter.statuses?.length) void builder.whereIn('status', [...filter.statuses]);
      if (filter.states?.length) void builder.whereIn('state', [...filter.states]);
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
    const order = orderBy(sort);
    const rows = (await query
      .orderByRaw(order.sql, [...order.bindings])
      .limit(perPage)
      .offset((page - 1) * perPage)) as IncidentRow[];
    return { data: rows.map(toIncidentRecord), total: Number(countRow?.n ?? 0) };
  }

  /**
   * Moves an incident to `to` only if it is in one of `from` (a compare-and-set, so two
   * workers cannot both start one investigation). Returns the updated incident or undefined.
   * Every `from → to` must be allowed by the lifecycle (`incidentTransitions`); asking for
   * another is a programming error (`AKM_INCIDENT_TRANSITION_INVALID`). With `sql`, runs in
   * that transaction.
   */
  async transition(
    id: string,
    from: readonly IncidentStatus[],
    to: IncidentStatus,
    at: Date,
    patch: { summary?: string } = {},
    sql?: SqlExecutor,
  ): Promise<IncidentRecord | undefined> {
    const illegal = from.filter((status) => !canTransition(status, to));
    if (illegal.length > 0) throw HostErrors.AKM_INCIDENT_TRANSITION_INVALID({ from: illegal, to });
    if (sql !== undefined) {
      const result = await sql<IncidentRow>(
        `update incidents set status = $3, updated_at = $4::timestamptz, summary = coalesce($5, summary)
         where id = $1 and status = any($2::text[]) returning *`,
        [id, toPgArray(from), to, at.toISOString(), patch.summary ?? null],
      );
      return result.rows[0] === undefined ? undefined : toIncidentRecord(result.rows[0]);
    }
    const rows = (await this.#knex('incidents')
      .where({ id })
      .whereIn('status', [...from])
      .update({
        status: to,
        updated_at: at,
        ...(patch.summary === undefined ? {} : { summary: patch.summary }),
      })
      .returning('*')) as IncidentRow[];
    return rows[0] === undefined ? undefined : toIncidentRecord(rows[0]);
  }

  /**
   * Moves the incident's own state to `to` if it is in one of `from` (compare-and-set), as
   * `actor`: acknowledging or resolving records who and when; reopening (`open`) clears both
   * and counts the reopening. Returns the updated incident, or undefined when it was not in
   * `from`. A `from → to` the state machine (`incidentStateTransitions`) does not allow is a
   * programming error (`AKM_INCIDENT_TRANSITION_INVALID`).
   */
  async setState(
    id: string,
    from: readonly IncidentState[],
    to: IncidentState,
    actor: IncidentActor,
    at: Date,
  ): Promise<IncidentRecord | undefined> {
    const allowed = statesLeadingTo(to);
    const illegal = from.filter((state) => !allowed.includes(state));
    if (illegal.length > 0) throw HostErrors.AKM_INCIDENT_TRANSITION_INVALID({ from: illegal, to });
    if (!isUuid(id)) return undefined;
    const by = JSON.stringify(storedActor(actor));
    const changes: Record<string, unknown> =
      to === 'acknowledged'
        ? { acknowledged_at: at, acknowledged_by: by }
        : to === 'resolved'
          ? { resolved_at: at, resolved_by: by }
          : {
              acknowledged_at: null,
              acknowledged_by: null,
              resolved_at: null,
              resolved_by: null,
              reopened_at: at,
              reopen_count: this.#knex.raw('reopen_count + 1'),
            };
    const rows = (await this.#knex('incidents')
      .where({ id })
      .whereIn('state', [...from])
      .update({ state: to, updated_at: at, ...changes })
      .returning('*')) as IncidentRow[];
    return rows[0] === undefined ? undefined : toIncidentRecord(rows[0]);
  }
}
