import type { Clock, Logger, UserRepository } from '@akmatori/core';
import { AppErrors } from '../errors.js';
import type { PasswordHasher } from './password-hasher.js';
import type { IssuedSession, SessionClaims, SessionTokens } from './session-tokens.js';

/** The one administrator's login name. */
export const adminUsername = 'admin';

/**
 * The admin user: first-run setup, login, and keeping the password in step with
 * `ADMIN_PASSWORD` when the operator manages it through the environment.
 */
export class AdminAccount {
  readonly #users: UserRepository;
  readonly #hasher: PasswordHasher;
  readonly #sessions: SessionTokens;
  readonly #clock: Clock;

  constructor(deps: {
    users: UserRepository;
    hasher: PasswordHasher;
    sessions: SessionTokens;
    clock: Clock;
  }) {
    this.#users = deps.users;
    this.#hasher = deps.hasher;
    this.#sessions = deps.sessions;
    this.#clock = deps.clock;
  }

  /** True until an admin password exists (set by setup or by `ADMIN_PASSWORD`). */
  async setupRequired(): Promise<boolean> {
    return (await this.#users.findByUsername(adminUsername)) === undefined;
  }

  /** First-run setup: sets the admin password once and logs in. Later calls get `AKM_SETUP_ALREADY_DONE`. */
  async setup(password: string): Promise<IssuedSession> {
    const user = await this.#users.createIfAbsent({
      username: adminUsername,
      passwordHash: await this.#hasher.hash(password),
      at: this.#clock.now(),
    });
    if (user === undefined) throw AppErrors.AKM_SETUP_ALREADY_DONE();
    return this.#sessions.issue(user);
  }

  /** Checks credentials and issues a login token. Wrong name or password: `AKM_AUTH_INVALID_CREDENTIALS`. */
  async login(username: string, password: string): Promise<IssuedSession> {
    const user = await this.#users.findByUsername(username);
    const valid =
      user === undefined
        ? await this.#hasher.verifyNothing(password)
        : await this.#hasher.verify(password, user.passwordHash);
    if (user === undefined || !valid) {
      if (user === undefined && username === adminUsername) throw AppErrors.AKM_SETUP_REQUIRED();
      throw AppErrors.AKM_AUTH_INVALID_CREDENTIALS();
    }
    await this.#users.recordLogin(user.id, this.#clock.now());
    return this.#sessions.issue(user);
  }

  /**
   * Verifies a login token and that its user still exists and has not changed password
   * since it was issued.
   */
  async authenticate(token: string): Promise<SessionClaims> {
    const claims = await this.#sessions.verify(token);
    const user = await this.#users.findById(claims.userId);
    if (user === undefined)
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({ reason: 'the user no longer exists' });
    const changedAtSecond = Math.floor(user.passwordChangedAt.getTime() / 1000) * 1000;
    if (claims.issuedAt.getTime() < changedAtSecond) {
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({
        reason: 'the password changed after this token was issued; log in again',
      });
    }
    return claims;
  }

  /**
   * Makes the admin password equal `ADMIN_PASSWORD` when it is set: creates the admin on a
   * new install, replaces the hash when the variable changed, and does nothing otherwise.
   */
  async applyEnvironmentPassword(password: string | undefined, log: Logger): Promise<void> {
    if (password === undefined) return;
    const now = this.#clock.now();
    const existing = await this.#users.findByUsername(adminUsername);
    if (existing === undefined) {
      await this.#users.createIfAbsent({
        username: adminUsername,
        passwordHash: await this.#hasher.hash(password),
        at: now,
      });
      log.info('admin user created from ADMIN_PASSWORD');
    } else if (!(await this.#hasher.verify(password, existing.passwordHash))) {
      await this.#users.updatePassword(existing.id, await this.#hasher.hash(password), now);
      log.info('admin password updated from ADMIN_PASSWORD; earlier login tokens are void');
    }
  }
}
