import { AppErrors } from '../errors.js';
import { apiTokenPrefix, type ApiTokens } from './api-tokens.js';
import type { Principal } from './principal.js';
import type { Sessions } from './sessions.js';

export type { Principal } from './principal.js';

/**
 * Turns a bearer token into a {@link Principal}: an `aks_` login session or an `akm_` API
 * token, each checked against the database on every call, so a logout, a password change,
 * a disabled user or a revoked token holds on the next request on every replica.
 * Throws `AKM_AUTH_REQUIRED` or `AKM_AUTH_INVALID_TOKEN`.
 */
export class Authenticator {
  readonly #sessions: Sessions;
  readonly #apiTokens: ApiTokens;

  constructor(sessions: Sessions, apiTokens: ApiTokens) {
    this.#sessions = sessions;
    this.#apiTokens = apiTokens;
  }

  /** Authenticates the value of an `Authorization` header. */
  async authenticate(header: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const token = match?.[1];
    if (token === undefined) throw AppErrors.AKM_AUTH_REQUIRED();
    if (token.startsWith(apiTokenPrefix)) return this.#apiTokens.authenticate(token);
    const session = await this.#sessions.verify(token);
    return {
      kind: 'user',
      id: session.userId,
      name: session.username,
      role: session.role,
      sessionId: session.sessionId,
    };
  }

  /**
   * Checks that what `principal` authenticated with still works, and returns it as of now
   * (its role may have changed). Does not renew a session. Throws `AKM_AUTH_INVALID_TOKEN`.
   */
  async reauthenticate(principal: Principal): Promise<Principal> {
    if (principal.kind === 'api_token') return this.#apiTokens.recheck(principal.id);
    const session = await this.#sessions.recheck(principal.sessionId);
    return {
      kind: 'user',
      id: session.userId,
      name: session.username,
      role: session.role,
      sessionId: session.sessionId,
    };
  }
}
