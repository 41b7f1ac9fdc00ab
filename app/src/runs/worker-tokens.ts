import { createHash, randomBytes } from 'node:crypto';
import { secretsEqual, type Clock } from '@akmatori/core';
import { AppErrors } from '../errors.js';
import type { WorkerTokenRecord, WorkerTokenRepository } from './worker-token-repository.js';

/** Every worker token starts with this, so it is recognisable in logs and secret scanners. */
export const workerTokenPrefix = 'akw_';

/** Name the embedded worker's token is shown under. */
export const embeddedTokenName = 'embedded';

/** The token a worker connected with, as the hub binds it to the worker. */
export interface WorkerTokenIdentity {
  /** Its id in `worker_tokens`; null for the embedded worker's token of this API process. */
  readonly id: string | null;
  /** Its name. */
  readonly name: string;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const freshToken = (): string => `${workerTokenPrefix}${randomBytes(32).toString('base64url')}`;

/**
 * Worker tokens: one per worker (or group of workers), created by an admin through the API,
 * shown once, stored as SHA-256 only (32 random bytes need no slow hash), revocable one by
 * one. Besides them, the embedded worker that `akmatori serve` starts gets a token of its own
 * that lives only in this process's memory and its child's environment: new at every start,
 * gone when the process ends, never stored.
 */
export class WorkerTokens {
  readonly #repository: WorkerTokenRepository;
  readonly #clock: Clock;
  #processToken: string | undefined;

  constructor(repository: WorkerTokenRepository, clock: Clock) {
    this.#repository = repository;
    this.#clock = clock;
  }

  /** Creates a token; the returned `token` is the only time its value is available. */
  async create(input: {
    name: string;
    createdBy: string | null;
  }): Promise<{ token: string; record: WorkerTokenRecord }> {
    const token = freshToken();
    const record = await this.#repository.create({
      name: input.name,
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, workerTokenPrefix.length + 6),
      createdBy: input.createdBy,
      at: this.#clock.now(),
    });
    return { token, record };
  }

  /** Every token, revoked ones included (never their values). */
  list(): Promise<WorkerTokenRecord[]> {
    return this.#repository.list();
  }

  /** Revokes a token: no worker connects with it any more. True when it exists. */
  revoke(id: string): Promise<boolean> {
    return this.#repository.revoke(id, this.#clock.now());
  }

  /**
   * A token for the embedded worker of this process, valid only here and until the next call
   * (which replaces it) or the end of the process.
   */
  issueEmbeddedToken(): string {
    this.#processToken = freshToken();
    return this.#processToken;
  }

  /**
   * The token `value` stands for. Throws `AKM_WORKER_TOKEN_INVALID` when it is missing, not
   * a worker token, unknown or revoked. Records the use.
   */
  async authenticate(value: string | undefined): Promise<WorkerTokenIdentity> {
    if (value === undefined || value === '')
      throw AppErrors.AKM_WORKER_TOKEN_INVALID({
        reason: `no worker token (send Authorization: Bearer ${workerTokenPrefix}…)`,
      });
    if (!value.startsWith(workerTokenPrefix))
      throw AppErrors.AKM_WORKER_TOKEN_INVALID({
        reason: `not a worker token (worker tokens start with ${workerTokenPrefix})`,
      });
    if (this.#processToken !== undefined && secretsEqual(value, this.#processToken))
      return { id: null, name: embeddedTokenName };
    const record = await this.#repository.findLiveByHash(hashToken(value));
    if (record === undefined)
      throw AppErrors.AKM_WORKER_TOKEN_INVALID({ reason: 'unknown or revoked worker token' });
    await this.#repository.touch([record.id], this.#clock.now());
    return { id: record.id, name: record.name };
  }

  /** Which of the token ids `ids` still work. */
  liveIds(ids: readonly string[]): Promise<Set<string>> {
    return this.#repository.liveIds(ids);
  }

  /** Records that workers are connected with these tokens now. */
  touch(ids: readonly string[]): Promise<void> {
    return this.#repository.touch(ids, this.#clock.now());
  }
}
