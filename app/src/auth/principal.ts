import type { Role } from './roles.js';

/** A person logged in with a session token. */
export interface UserPrincipal {
  readonly kind: 'user';
  /** The user's id. */
  readonly id: string;
  /** The user's login name. */
  readonly name: string;
  /** The user's role as of this request. */
  readonly role: Role;
  /** The session the request came with (logout ends it). */
  readonly sessionId: string;
}

/** Automation calling with an `akm_` API token. */
export interface TokenPrincipal {
  readonly kind: 'api_token';
  /** The token's id. */
  readonly id: string;
  /** The token's name. */
  readonly name: string;
  /** What the token may do now: its own role, never above its creator's current role. */
  readonly role: Role;
  /** The user it acts for (who created it, directly or through a parent token). */
  readonly userId: string | null;
  /** When it stops working; null means never. */
  readonly expiresAt: Date | null;
}

/** Who made an authenticated request. */
export type Principal = UserPrincipal | TokenPrincipal;

/** The id of the user behind a principal (a token's creator), if any. */
export function actingUserId(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.id : principal.userId;
}
