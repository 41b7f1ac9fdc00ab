import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '@akmatori/core';
import type { UserRole } from '@akmatori/host';
import type { Knex } from 'knex';
import { AppErrors } from '../errors.js';

/** Every login (session) token starts with this, so it is recognisable in logs and scanners. */
export const sessionTokenPrefix = 'aks_';

/**
 * Renewal is written at most this often per session (or a quarter of the idle lifetime, if
 * shorter), so a busy dashboard is not a write load.
 */
const RENEW_INTERVAL_MS = 60_000;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A newly issued login token. */
export interface IssuedSession {
  /** The token: send as `Authorization: Bearer <token>`. Only its hash is stored. */
  readonly token: string;
  /** The session's id (for listing and ending it). */
  readonly sessionId: string;
  /** The user it belongs to. */
  readonly userId: string;
  /** When it stops working unless used again before then. */
  readonly expiresAt: Date;
}

/** A live session and the user it belongs to, as of this request. */
export interface LiveSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly username: string;
  readonly role: UserRole;
  /** When it stops working unless used again (never after its absolute expiry). */
  readonly expiresAt: Date;
}

/** A session as an admin or its user sees it in a list (never its token). */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly expiresAt: Date;
  readonly clientAddress: string | null;
  readonly userAgent: string | null;
}

interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_used_at: Date;
  idle_expires_at: Date;
  expires_at: Date;
  client_address: string | null;
  user_agent: string | null;
}

interface LiveRow extends SessionRow {
  username: string;
  role: UserRole;
  disabled_at: Date | null;
}

/**
 * Login sessions: an opaque random token per login, stored by its SHA-256 in `sessions`, so
 * every replica sees a logout, a password change or an admin ending a user's sessions on the
 * very next request. A session lives `idleSeconds` past its last use (renewed while in use)
 * and never longer than `maxAgeSeconds` after login.
 */
export class Sessions {
  readonly #knex: Knex;
  readonly #clock: Clock;
  readonly #idleMs: number;
  readonly #maxAgeMs: number;

  constructor(deps: { knex: Knex; clock: Clock; idleSeconds: number; maxAgeSeconds: number }) {
    this.#knex = deps.knex;
    this.#clock = deps.clock;
    this.#idleMs = deps.idleSeconds * 1000;
    this.#maxAgeMs = Math.max(deps.maxAgeSeconds, deps.idleSeconds) * 1000;
  }

  /** Starts a session for a user; sweeps sessions that have expired. */
  async issue(
    userId: string,
    client: { address?: string | undefined; userAgent?: string | undefined } = {},
  ): Promise<IssuedSession> {
    const now = this.#clock.now();
    await this.#knex('sessions').where('idle_expires_at', '<=', now).delete();
    const token = `${sessionTokenPrefix}${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + this.#maxAgeMs);
    const idleExpiresAt = new Date(Math.min(now.getTime() + this.#idleMs, expiresAt.getTime()));
    const [row] = (await this.#knex('sessions')
      .insert({
        user_id: userId,
        token_hash: hashToken(token),
        created_at: now,
        last_used_at: now,
        idle_expires_at: idleExpiresAt,
        expires_at: expiresAt,
        client_address: client.address ?? null,
        user_agent: client.userAgent?.slice(0, 300) ?? null,
      })
      .returning('id')) as { id: string }[];
    return { token, sessionId: (row as { id: string }).id, userId, expiresAt: idleExpiresAt };
  }

  /**
   * The live session a token opens, renewing it. Throws `AKM_AUTH_INVALID_TOKEN` when the
   * token is unknown, ended, expired, or its user is disabled.
   */
  async verify(token: string): Promise<LiveSession> {
    const row = await this.#live().where('sessions.token_hash', hashToken(token)).first();
    return this.#check(row as LiveRow | undefined, true);
  }

  /** Re-checks a session by id without renewing it (for open sockets). */
  async recheck(sessionId: string): Promise<LiveSession> {
    const row = await this.#live().where('sessions.id', sessionId).first();
    return this.#check(row as LiveRow | undefined, false);
  }

  /** Ends one session; true when it was live. */
  async end(sessionId: string): Promise<boolean> {
    return (await this.#knex('sessions').where({ id: sessionId }).delete()) > 0;
  }

  /** Ends every session of a user; returns how many. */
  async endAllFor(userId: string): Promise<number> {
    return this.#knex('sessions').where({ user_id: userId }).delete();
  }

  /** A user's live sessions, most recently used first. */
  async listFor(userId: string): Promise<SessionRecord[]> {
    const rows = (await this.#knex('sessions')
      .where({ user_id: userId })
      .andWhere('idle_expires_at', '>', this.#clock.now())
      .orderBy('last_used_at', 'desc')) as SessionRow[];
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      expiresAt: row.idle_expires_at,
      clientAddress: row.client_address,
      userAgent: row.user_agent,
    }));
  }

  #live(): Knex.QueryBuilder {
    return this.#knex('sessions')
      .join('users', 'users.id', 'sessions.user_id')
      .select('sessions.*', 'users.username', 'users.role', 'users.disabled_at');
  }

  async #check(row: LiveRow | undefined, renew: boolean): Promise<LiveSession> {
    const now = this.#clock.now();
    if (row === undefined) {
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({
        reason: 'the session has ended (logged out, password changed, or ended by an admin)',
      });
    }
    if (row.idle_expires_at.getTime() <= now.getTime()) {
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({ reason: 'the session has expired; log in again' });
    }
    if (row.disabled_at !== null) {
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({ reason: 'the user is disabled' });
    }
    let expiresAt = row.idle_expires_at;
    const renewEvery = Math.min(RENEW_INTERVAL_MS, this.#idleMs / 4);
    if (renew && now.getTime() - row.last_used_at.getTime() >= renewEvery) {
      expiresAt = new Date(Math.min(now.getTime() + this.#idleMs, row.expires_at.getTime()));
      await this.#knex('sessions')
        .where({ id: row.id })
        .update({ last_used_at: now, idle_expires_at: expiresAt });
    }
    return {
      sessionId: row.id,
      userId: row.user_id,
      username: row.username,
      role: row.role,
      expiresAt,
    };
  }
}
