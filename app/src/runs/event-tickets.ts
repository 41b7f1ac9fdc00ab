import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '@akmatori/core';
import type { Knex } from 'knex';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { AppErrors } from '../errors.js';

/** How long a ticket may wait before it is used. */
export const EVENT_TICKET_TTL_SECONDS = 30;

/** Every event ticket starts with this. */
const ticketPrefix = 'akt_';

const hashTicket = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

/**
 * One-time tickets that open `/ws/events` from a browser, which cannot set headers on a
 * WebSocket: a credential never travels in a URL, only a ticket that works once, within
 * {@link EVENT_TICKET_TTL_SECONDS}, for the principal that asked for it. Stored by hash in
 * `event_tickets` so any replica can take it; taking it deletes it.
 */
export class EventTickets {
  readonly #knex: Knex;
  readonly #authenticator: Authenticator;
  readonly #clock: Clock;

  constructor(deps: { knex: Knex; authenticator: Authenticator; clock: Clock }) {
    this.#knex = deps.knex;
    this.#authenticator = deps.authenticator;
    this.#clock = deps.clock;
  }

  /** Issues a ticket for `principal`; sweeps expired ones. */
  async issue(principal: Principal): Promise<{ ticket: string; expiresAt: Date }> {
    const now = this.#clock.now();
    await this.#knex('event_tickets').where('expires_at', '<=', now).delete();
    const ticket = `${ticketPrefix}${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + EVENT_TICKET_TTL_SECONDS * 1000);
    await this.#knex('event_tickets').insert({
      ticket_hash: hashTicket(ticket),
      principal_kind: principal.kind,
      principal_id: principal.id,
      session_id: principal.kind === 'user' ? principal.sessionId : null,
      expires_at: expiresAt,
    });
    return { ticket, expiresAt };
  }

  /**
   * Takes a ticket (it never works again) and returns who it was issued to, as of now.
   * Throws `AKM_TICKET_INVALID`, or `AKM_AUTH_INVALID_TOKEN` when the credential behind it
   * has since stopped working.
   */
  async redeem(ticket: string): Promise<Principal> {
    const rows = (await this.#knex('event_tickets')
      .where({ ticket_hash: hashTicket(ticket) })
      .delete()
      .returning('*')) as {
      principal_kind: Principal['kind'];
      principal_id: string;
      session_id: string | null;
      expires_at: Date;
    }[];
    const row = rows[0];
    if (row === undefined || row.expires_at.getTime() <= this.#clock.now().getTime()) {
      throw AppErrors.AKM_TICKET_INVALID();
    }
    const held: Principal =
      row.principal_kind === 'user'
        ? {
            kind: 'user',
            id: row.principal_id,
            name: '',
            role: 'viewer',
            sessionId: row.session_id ?? '',
          }
        : {
            kind: 'api_token',
            id: row.principal_id,
            name: '',
            role: 'viewer',
            userId: null,
            expiresAt: null,
          };
    return this.#authenticator.reauthenticate(held);
  }
}
