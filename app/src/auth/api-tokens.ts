import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '@akmatori/core';
import type { ApiTokenRecord, ApiTokenRepository, UserRepository } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import { actingUserId, type Principal, type TokenPrincipal } from './principal.js';
import type { Revocations } from './revocations.js';
import { roleAllows, weakerRole, type Role } from './roles.js';

/** Every API token starts with this, so it is recognisable in logs and secret scanners. */
export const apiTokenPrefix = 'akm_';

/** How often `last_used_at` is written for a busy token. */
const TOUCH_INTERVAL_MS = 60_000;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Tokens for automation. A token is 32 random bytes shown once at creation; only its SHA-256
 * is stored (the token's entropy makes a slow hash unnecessary). A token carries a role that
 * is never above its creator's (checked at creation and again on every use, so demoting or
 * disabling the creator weakens or stops the token), and a token minted with a token has no
 * more power and no longer life than its parent and dies with it.
 */
export class ApiTokens {
  readonly #repository: ApiTokenRepository;
  readonly #users: UserRepository;
  readonly #revocations: Revocations;
  readonly #clock: Clock;

  constructor(deps: {
    repository: ApiTokenRepository;
    users: UserRepository;
    revocations: Revocations;
    clock: Clock;
  }) {
    this.#repository = deps.repository;
    this.#users = deps.users;
    this.#revocations = deps.revocations;
    this.#clock = deps.clock;
  }

  /**
   * Creates a token for `creator`; the returned `token` is the only time its value is
   * available. Without a role it gets the creator's; without an expiry, a token minted by an
   * expiring token expires with it.
   */
  async create(input: {
    name: string;
    role?: Role | undefined;
    expiresAt: Date | null;
    creator: Principal;
  }): Promise<{ token: string; record: ApiTokenRecord }> {
    const { creator } = input;
    const now = this.#clock.now();
    const role = input.role ?? creator.role;
    if (!roleAllows(creator.role, role)) {
      throw AppErrors.AKM_TOKEN_EXCEEDS_CREATOR({
        reason: `role ${role} is above the creator's ${creator.role}`,
      });
    }
    let expiresAt = input.expiresAt;
    if (creator.kind === 'api_token' && creator.expiresAt !== null) {
      expiresAt ??= creator.expiresAt;
      if (expiresAt.getTime() > creator.expiresAt.getTime()) {
        throw AppErrors.AKM_TOKEN_EXCEEDS_CREATOR({
          reason: `it would outlive the token that mints it (${creator.expiresAt.toISOString()})`,
        });
      }
    }
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
      throw AppErrors.AKM_EXPIRY_IN_PAST();
    }
    const token = `${apiTokenPrefix}${randomBytes(32).toString('base64url')}`;
    const record = await this.#repository.create({
      name: input.name,
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, apiTokenPrefix.length + 6),
      role,
      createdBy: actingUserId(creator),
      parentTokenId: creator.kind === 'api_token' ? creator.id : null,
      at: now,
      expiresAt,
    });
    return { token, record };
  }

  /** Every token (without values): all of them for an admin, a user's own otherwise. */
  list(viewer: Principal): Promise<ApiTokenRecord[]> {
    if (viewer.role === 'admin') return this.#repository.list();
    const userId = actingUserId(viewer);
    return userId === null ? Promise.resolve([]) : this.#repository.listCreatedBy(userId);
  }

  /**
   * Deletes a token and every token minted with it; true when it existed and `actor` may
   * revoke it (an admin any token, others their own).
   */
  async revoke(id: string, actor: Principal): Promise<boolean> {
    const record = await this.#repository.findById(id);
    if (record === undefined) return false;
    if (actor.role !== 'admin' && record.createdBy !== actingUserId(actor)) return false;
    const deleted = await this.#repository.delete(id);
    this.#revocations.notify();
    return deleted;
  }

  /** Who a token value stands for. Throws `AKM_AUTH_INVALID_TOKEN` when it is not live. */
  async authenticate(token: string): Promise<TokenPrincipal> {
    const record = await this.#repository.findByHash(hashToken(token));
    const principal = await this.#principalOf(record);
    const now = this.#clock.now();
    const lastUsedAt = record?.lastUsedAt ?? null;
    if (lastUsedAt === null || now.getTime() - lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.#repository.touch(principal.id, now);
    }
    return principal;
  }

  /** Re-checks a token by id (for open sockets), without recording a use. */
  async recheck(id: string): Promise<TokenPrincipal> {
    return this.#principalOf(await this.#repository.findById(id));
  }

  async #principalOf(record: ApiTokenRecord | undefined): Promise<TokenPrincipal> {
    if (record === undefined)
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({ reason: 'unknown or revoked API token' });
    if (record.expiresAt !== null && record.expiresAt.getTime() <= this.#clock.now().getTime()) {
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({ reason: 'the API token has expired' });
    }
    let role = record.role;
    if (record.createdBy !== null) {
      const creator = await this.#users.findById(record.createdBy);
      if (creator === undefined || creator.disabledAt !== null) {
        throw AppErrors.AKM_AUTH_INVALID_TOKEN({
          reason: "the token's creator is disabled or gone",
        });
      }
      role = weakerRole(role, creator.role);
    }
    return {
      kind: 'api_token',
      id: record.id,
      name: record.name,
      role,
      userId: record.createdBy,
      expiresAt: record.expiresAt,
    };
  }
}
