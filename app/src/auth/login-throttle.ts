import { createHash } from 'node:crypto';
import { isAkmatoriError, type Clock } from '@akmatori/core';
import { AppErrors } from '../errors.js';
import { addressBucket } from '../server/client-address.js';
import type {
  AttemptScope,
  AttemptSubject,
  LoginAttemptRepository,
  StoredAttempt,
} from './login-attempt-repository.js';

/** How many failures each subject may have within the window. */
export interface LoginThrottleLimits {
  /** Failed logins per account (`AKMATORI_LOGIN_RATE_LIMIT`). */
  readonly perAccount: number;
  /** Failed logins and setups per client address (`AKMATORI_LOGIN_ADDRESS_RATE_LIMIT`). */
  readonly perAddress: number;
  /** How long a failure counts, in seconds (`AKMATORI_LOGIN_RATE_WINDOW`). */
  readonly windowSeconds: number;
}

/** Who an attempt is counted against. */
export interface AttemptSubjects {
  /** The username the attempt names (a login), whether or not such an account exists. */
  readonly account?: string;
  /** The client address (`request.ip`). */
  readonly address: string;
}

/**
 * Login throttling counted in the database, so it holds across API replicas: each failed
 * login or setup is a row per subject (the account named, the client address), and an
 * attempt whose subject already has its limit of failures within the window is refused with
 * `AKM_RATE_LIMITED` (and a Retry-After) before the password or setup code is looked at.
 *
 * An attempt is written before it is checked, so concurrent attempts on several replicas see
 * each other; it is deleted again when it is refused or succeeds. A success also clears the
 * account's failures (not the address's: one good account must not reset an address that is
 * guessing others). An unknown account is counted like a real one, so a refusal says nothing
 * about whether it exists. Subjects are stored as hashes, so a password typed into the
 * username field does not land in the table in clear.
 */
export class LoginThrottle {
  readonly #attempts: LoginAttemptRepository;
  readonly #clock: Clock;
  readonly #limits: LoginThrottleLimits;

  constructor(deps: {
    attempts: LoginAttemptRepository;
    clock: Clock;
    limits: LoginThrottleLimits;
  }) {
    this.#attempts = deps.attempts;
    this.#clock = deps.clock;
    this.#limits = deps.limits;
  }

  /**
   * Runs `check` (the password or setup-code check) as one attempt by `subjects`. Refused
   * without running it when a subject is over its limit. A catalogued client error (4xx) from
   * `check` counts as a failure; anything else does not count.
   *
   * @example
   * ```ts
   * const session = await throttle.attempt({ account: 'admin', address: request.ip }, () =>
   *   admin.login('admin', password),
   * );
   * ```
   */
  async attempt<T>(subjects: AttemptSubjects, check: () => Promise<T>): Promise<T> {
    const now = this.#clock.now();
    const windowStart = new Date(now.getTime() - this.#limits.windowSeconds * 1000);
    const counted = countedSubjects(subjects, this.#limits);
    const ids = await this.#attempts.record(
      counted.map((c) => c.subject),
      now,
      windowStart,
    );
    const recent = await this.#attempts.after(
      counted.map((c) => c.subject),
      windowStart,
    );
    const retryAt = this.#retryAt(counted, recent, new Set(ids));
    if (retryAt !== undefined) {
      await this.#attempts.remove(ids);
      const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000));
      throw AppErrors.AKM_RATE_LIMITED(
        { retryAfterSeconds },
        { details: { retry_after_seconds: retryAfterSeconds } },
      );
    }
    let result: T;
    try {
      result = await check();
    } catch (error) {
      const failed = isAkmatoriError(error) && error.statusCode >= 400 && error.statusCode < 500;
      if (!failed) await this.#attempts.remove(ids);
      throw error;
    }
    await this.#attempts.remove(ids);
    const account = counted.find((c) => c.subject.scope === 'account');
    if (account !== undefined) await this.#attempts.clear(account.subject);
    return result;
  }

  /**
   * When the first over-limit subject may try again (epoch ms), or undefined when none is
   * over: a subject with `limit` earlier attempts in the window waits until enough of them
   * have left it that this one would be within the limit.
   */
  #retryAt(
    counted: readonly CountedSubject[],
    recent: readonly StoredAttempt[],
    mine: ReadonlySet<string>,
  ): number | undefined {
    let retryAt: number | undefined;
    for (const { subject, limit } of counted) {
      const earlier = recent.filter(
        (a) =>
          !mine.has(a.id) && a.scope === subject.scope && a.subjectHash === subject.subjectHash,
      );
      if (earlier.length < limit) continue;
      const oldestThatMustLeave = earlier[earlier.length - limit];
      if (oldestThatMustLeave === undefined) continue;
      const at = oldestThatMustLeave.attemptedAt.getTime() + this.#limits.windowSeconds * 1000;
      retryAt = Math.max(retryAt ?? 0, at);
    }
    return retryAt;
  }
}

interface CountedSubject {
  readonly subject: AttemptSubject;
  readonly limit: number;
}

function countedSubjects(subjects: AttemptSubjects, limits: LoginThrottleLimits): CountedSubject[] {
  const counted: CountedSubject[] = [
    { subject: subjectOf('address', addressBucket(subjects.address)), limit: limits.perAddress },
  ];
  if (subjects.account !== undefined) {
    counted.push({
      subject: subjectOf('account', subjects.account.normalize('NFC').toLowerCase()),
      limit: limits.perAccount,
    });
  }
  return counted;
}

function subjectOf(scope: AttemptScope, value: string): AttemptSubject {
  return {
    scope,
    subjectHash: createHash('sha256').update(`${scope}\0${value}`).digest('base64url'),
  };
}
