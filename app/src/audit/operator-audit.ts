import type { Clock } from '@akmatori/core';
import type { Knex } from 'knex';
import type { Principal } from '../auth/principal.js';

/** One change an operator made through the API, as `GET /api/audit` shows it. */
export interface OperatorAuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor_kind: 'user' | 'api_token' | 'anonymous';
  readonly actor_id: string | null;
  readonly actor_name: string;
  /** The method and route, e.g. `PATCH /api/users/:id`. */
  readonly action: string;
  /** The route's path parameters (which user, source, incident ...). */
  readonly target: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly client_address: string | null;
}

interface AuditRow {
  id: string | number;
  at: Date;
  actor_kind: OperatorAuditEntry['actor_kind'];
  actor_id: string | null;
  actor_name: string;
  action: string;
  target: Record<string, unknown>;
  status: number;
  client_address: string | null;
}

/**
 * The operator audit: who changed what through the API and when (every accepted `POST`,
 * `PUT`, `PATCH` and `DELETE` under `/api`, and logins, logouts and password changes).
 * It records the route and its path parameters, never a body, so no secret lands in it.
 */
export class OperatorAudit {
  readonly #knex: Knex;
  readonly #clock: Clock;

  constructor(knex: Knex, clock: Clock) {
    this.#knex = knex;
    this.#clock = clock;
  }

  /** Records one action. */
  async record(entry: {
    actor: Principal | { kind: 'anonymous'; name: string } | null;
    action: string;
    target: Record<string, unknown>;
    status: number;
    clientAddress: string | undefined;
  }): Promise<void> {
    const actor = entry.actor ?? { kind: 'anonymous' as const, name: 'anonymous' };
    await this.#knex('audit_events').insert({
      at: this.#clock.now(),
      actor_kind: actor.kind,
      actor_id: actor.kind === 'anonymous' ? null : actor.id,
      actor_name: actor.name,
      action: entry.action,
      target: JSON.stringify(entry.target),
      status: entry.status,
      client_address: entry.clientAddress ?? null,
    });
  }

  /** Entries newest first, before the cursor `beforeId`, optionally by one user or token. */
  async list(options: {
    beforeId?: number | undefined;
    actorId?: string | undefined;
    limit: number;
  }): Promise<OperatorAuditEntry[]> {
    const query = this.#knex('audit_events').orderBy('id', 'desc').limit(options.limit);
    if (options.beforeId !== undefined) void query.where('id', '<', options.beforeId);
    if (options.actorId !== undefined) void query.where('actor_id', options.actorId);
    const rows = (await query) as AuditRow[];
    return rows.map((row) => ({
      id: Number(row.id),
      at: row.at.toISOString(),
      actor_kind: row.actor_kind,
      actor_id: row.actor_id,
      actor_name: row.actor_name,
      action: row.action,
      target: row.target,
      status: row.status,
      client_address: row.client_address,
    }));
  }
}
