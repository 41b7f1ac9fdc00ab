import { AppErrors } from '../errors.js';
import type { AdminAccount } from './admin-account.js';
import { apiTokenPrefix, type ApiTokens } from './api-tokens.js';

/** Who made an authenticated request. */
export type Principal =
  | { readonly kind: 'user'; readonly id: string; readonly name: string }
  | { readonly kind: 'api_token'; readonly id: string; readonly name: string };

/**
 * Turns an `Authorization` header into a {@link Principal}: a login JWT or an `akm_` API token.
 * Throws `AKM_AUTH_REQUIRED` or `AKM_AUTH_INVALID_TOKEN`.
 */
export class Authenticator {
  readonly #admin: AdminAccount;
  readonly #apiTokens: ApiTokens;

  constructor(admin: AdminAccount, apiTokens: ApiTokens) {
    this.#admin = admin;
    this.#apiTokens = apiTokens;
  }

  /** Authenticates the value of an `Authorization` header. */
  async authenticate(header: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const token = match?.[1];
    if (token === undefined) throw AppErrors.AKM_AUTH_REQUIRED();
    if (token.startsWith(apiTokenPrefix)) {
      const record = await this.#apiTokens.authenticate(token);
      return { kind: 'api_token', id: record.id, name: record.name };
    }
    const claims = await this.#admin.authenticate(token);
    return { kind: 'user', id: claims.userId, name: claims.username };
  }
}
