import { createHash, randomBytes } from 'node:crypto';
import type { ApiTokenRecord, ApiTokenRepository, Clock } from '@akmatori/core';
import { AppErrors } from '../errors.js';

/** Every API token starts with this, so it is recognisable in logs and secret scanners. */
export const apiTokenPrefix = 'akm_';

/** How often `last_used_at` is written for a busy token. */
const TOUCH_INTERVAL_MS = 60_000;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Long-lived tokens for automation. A token is 32 random bytes shown once at creation;
 * only its SHA-256 is stored (the token's entropy makes a slow hash unnecessary).
 */
export class ApiTokens {
  readonly #repository: ApiTokenRepository;
  readonly #clock: Clock;

  constructor(repository: ApiTokenRepository, clock: Clock) {
    this.#repository = repository;
    this.#clock = clock;
  }

  /** Creates a token; the returned `token` is the only time its value is available. */
  async create(input: { name: string; expiresAt: Date | null; createdBy: string | null }): Promise<{
    token: string;
    record: ApiTokenRecord;
  }> {
    const now = this.#clock.now();
    if (input.expiresAt !== null && input.expiresAt.getTime() <= now.getTime()) {
      throw AppErrors.AKM_EXPIRY_IN_PAST();
    }
    const token = `${apiTokenPrefix}${randomBytes(32).toString('base64url')}`;
    const record = await this.#repository.create({
      name: input.name,
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, apiTokenPrefix.length + 6),
      createdBy: input.createdBy,
      at: now,
      expiresAt: input.expiresAt,
    });
    return { token, record };
  }

  /** Every token (without values). */
  list(): Promise<ApiTokenRecord[]> {
    return this.#repository.list();
  }

  /** Deletes a token; true when it existed. */
  revoke(id: string): Promise<boolean> {
    return this.#repository.delete(id);
  }

  /** The token's record if the value is a live token. Throws `AKM_AUTH_INVALID_TOKEN` otherwise. */
  async authenticate(token: string): Promise<ApiTokenRecord> {
    const record = await this.#repository.findByHash(hashToken(token));
    if (record === undefined)
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({ reason: 'unknown or revoked API token' });
    const now = this.#clock.now();
    if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) {
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({ reason: 'the API token has expired' });
    }
    if (
      record.lastUsedAt === null ||
      now.getTime() - record.lastUsedAt.getTime() > TOUCH_INTERVAL_MS
    ) {
      await this.#repository.touch(record.id, now);
    }
    return record;
  }
}
