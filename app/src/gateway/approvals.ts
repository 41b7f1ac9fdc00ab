import type { Clock } from '@akmatori/core';
import type { Knex } from 'knex';
import { AppErrors } from '../errors.js';

/** An approval request as the API shows it. */
export interface ApprovalRecord {
  readonly id: string;
  readonly runId: string;
  readonly incidentId: string;
  readonly toolInstanceId: string;
  readonly tool: string;
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** `pending`, `approved`, `denied` or `expired`. */
  readonly status: string;
  /** Who decided, as `user:<name>` or `api_token:<name>`. */
  readonly decidedBy: string | null;
  /** The id of the user who decided (a token's creator when a token did). */
  readonly decidedByUserId: string | null;
  readonly reason: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly decidedAt: Date | null;
}

interface ApprovalRow {
  id: string;
  run_id: string;
  incident_id: string;
  tool_instance_id: string;
  tool: string;
  summary: string;
  details: Record<string, unknown>;
  status: string;
  decided_by: string | null;
  decided_by_user_id: string | null;
  reason: string | null;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
}

const toRecord = (row: ApprovalRow): ApprovalRecord => ({
  id: row.id,
  runId: row.run_id,
  incidentId: row.incident_id,
  toolInstanceId: row.tool_instance_id,
  tool: row.tool,
  summary: row.summary,
  details: row.details,
  status: row.status,
  decidedBy: row.decided_by,
  decidedByUserId: row.decided_by_user_id,
  reason: row.reason,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  decidedAt: row.decided_at,
});

/**
 * Operators' side of write-action approvals: the gateway creates requests and waits; here
 * they are listed and decided. A request is decided once: a second decision, or one after
 * it expired, is `AKM_APPROVAL_DECIDED`.
 */
export class Approvals {
  readonly #knex: Knex;
  readonly #clock: Clock;

  constructor(knex: Knex, clock: Clock) {
    this.#knex = knex;
    this.#clock = clock;
  }

  /** Requests newest first, optionally of one status or one incident. */
  async list(filter: {
    status?: string;
    incidentId?: string;
    limit: number;
  }): Promise<ApprovalRecord[]> {
    const query = this.#knex('approvals').orderBy('created_at', 'desc').limit(filter.limit);
    if (filter.status !== undefined) query.where({ status: filter.status });
    if (filter.incidentId !== undefined) query.where({ incident_id: filter.incidentId });
    return ((await query) as ApprovalRow[]).map(toRecord);
  }

  /** Approves or denies a pending request; returns it as decided. */
  async decide(
    id: string,
    decision: {
      approve: boolean;
      by: string;
      byUserId: string | null;
      reason: string | undefined;
    },
  ): Promise<ApprovalRecord> {
    const now = this.#clock.now();
    const rows = (await this.#knex('approvals')
      .where({ id, status: 'pending' })
      .andWhere('expires_at', '>', now)
      .update({
        status: decision.approve ? 'approved' : 'denied',
        decided_by: decision.by,
        decided_by_user_id: decision.byUserId,
        reason: decision.reason ?? null,
        decided_at: now,
      })
      .returning('*')) as ApprovalRow[];
    const decided = rows[0];
    if (decided !== undefined) return toRecord(decided);
    const current = (await this.#knex('approvals').where({ id }).first()) as
      ApprovalRow | undefined;
    if (current === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'approval', id });
    throw AppErrors.AKM_APPROVAL_DECIDED({
      id,
      status: current.status === 'pending' ? 'expired' : current.status,
    });
  }
}
