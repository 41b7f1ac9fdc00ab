import type { Clock, Logger } from '@akmatori/core';
import type { UserRecord, UserRepository, UserRole } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Revocations } from './revocations.js';
import type { IssuedSession, SessionRecord, Sessions } from './sessions.js';

/** The first administrator's login name (first-run setup and `ADMIN_PASSWORD`). */
export const adminUsername = 'admin';

/** Where a login came from, kept with its session so its user can tell sessions apart. */
export interface LoginClient {
  readonly address?: string | undefined;
  readonly userAgent?: string | undefined;
}

/** What an admin may change about a user. */
export interface UserChange {
  readonly role?: UserRole;
  readonly email?: string | null;
  /** The Slack user (`U…`) this user acts as in Slack; null unlinks. */
  readonly slackUserId?: string | null;
  readonly disabled?: boolean;
  readonly password?: string;
}

/**
 * The people who log in: first-run setup, login and logout, password changes, and the
 * admin's management of users. Keeps at least one enabled admin, and ends a user's sessions
 * whenever what they authenticate with changes (password, disabled) so the change holds on
 * the very next request on every replica; open sockets hear it through {@link Revocations}.
 */
export class Accounts {
  readonly #users: UserRepository;
  readonly #hasher: PasswordHasher;
  readonly #sessions: Sessions;
  readonly #revocations: Revocations;
  readonly #clock: Clock;

  constructor(deps: {
    users: UserRepository;
    hasher: PasswordHasher;
    sessions: Sessions;
    revocations: Revocations;
    clock: Clock;
  }) {
    this.#users = deps.users;
    this.#hasher = deps.hasher;
    this.#sessions = deps.sessions;
    this.#revocations = deps.revocations;
    this.#clock = deps.clock;
  }

  /** True until the first user exists (made by setup or by `ADMIN_PASSWORD`). */
  async setupRequired(): Promise<boolean> {
    return (await this.#users.count()) === 0;
  }

  /** First-run setup: creates the `admin` user once and logs in. Later: `AKM_SETUP_ALREADY_DONE`. */
  async setup(password: string, client: LoginClient = {}): Promise<IssuedSession> {
    if (!(await this.setupRequired())) throw AppErrors.AKM_SETUP_ALREADY_DONE();
    const user = await this.#users.createIfAbsent({
      username: adminUsername,
      passwordHash: await this.#hasher.hash(password),
      role: 'admin',
      at: this.#clock.now(),
    });
    if (user === undefined) throw AppErrors.AKM_SETUP_ALREADY_DONE();
    return this.#sessions.issue(user.id, client);
  }

  /**
   * Checks credentials and starts a session. Wrong name or password:
   * `AKM_AUTH_INVALID_CREDENTIALS` (the same work either way); a disabled user:
   * `AKM_USER_DISABLED`, told only to someone who knows its password.
   */
  async login(
    username: string,
    password: string,
    client: LoginClient = {},
  ): Promise<IssuedSession> {
    const user = await this.#users.findByUsername(username);
    const valid =
      user === undefined
        ? await this.#hasher.verifyNothing(password)
        : await this.#hasher.verify(password, user.passwordHash);
    if (user === undefined || !valid) {
      if (user === undefined && (await this.setupRequired())) throw AppErrors.AKM_SETUP_REQUIRED();
      throw AppErrors.AKM_AUTH_INVALID_CREDENTIALS();
    }
    if (user.disabledAt !== null) throw AppErrors.AKM_USER_DISABLED();
    await this.#users.recordLogin(user.id, this.#clock.now());
    return this.#sessions.issue(user.id, client);
  }

  /** Ends one session at once (logout). */
  async logout(sessionId: string): Promise<void> {
    await this.#sessions.end(sessionId);
    this.#revocations.notify();
  }

  /**
   * A user changes their own password: the current one must be right (`AKM_PASSWORD_INCORRECT`).
   * Every session of the user ends, this one too; the answer is a new session for the caller.
   */
  async changePassword(
    userId: string,
    current: string,
    next: string,
    client: LoginClient = {},
  ): Promise<IssuedSession> {
    const user = await this.#require(userId);
    if (!(await this.#hasher.verify(current, user.passwordHash))) {
      throw AppErrors.AKM_PASSWORD_INCORRECT();
    }
    await this.#setPassword(user.id, next);
    return this.#sessions.issue(user.id, client);
  }

  /** Every user, by name. */
  listUsers(): Promise<UserRecord[]> {
    return this.#users.list();
  }

  /** One user, or `AKM_NOT_FOUND`. */
  getUser(id: string): Promise<UserRecord> {
    return this.#require(id);
  }

  /** Creates a user (admin only). A taken name: `AKM_USERNAME_TAKEN`; a linked Slack user: `AKM_SLACK_USER_TAKEN`. */
  async createUser(input: {
    username: string;
    password: string;
    role: UserRole;
    email?: string | null;
    slackUserId?: string | null;
  }): Promise<UserRecord> {
    await this.#slackUserFree(input.slackUserId, undefined);
    const user = await this.#users.createIfAbsent({
      username: input.username,
      passwordHash: await this.#hasher.hash(input.password),
      role: input.role,
      email: input.email ?? null,
      slackUserId: input.slackUserId ?? null,
      at: this.#clock.now(),
    });
    if (user === undefined) throw AppErrors.AKM_USERNAME_TAKEN({ username: input.username });
    return user;
  }

  /**
   * Changes a user's role, e-mail, Slack user, disabled state or password (admin only). Refuses
   * a change that would leave no enabled admin (`AKM_LAST_ADMIN`), or link a Slack user already
   * linked to another user (`AKM_SLACK_USER_TAKEN`). Disabling a user or setting its
   * password ends its sessions; a new role applies to its next request.
   */
  async updateUser(id: string, change: UserChange): Promise<UserRecord> {
    const user = await this.#require(id);
    await this.#slackUserFree(change.slackUserId, id);
    await this.#users.update(
      id,
      {
        ...(change.role === undefined ? {} : { role: change.role }),
        ...(change.email === undefined ? {} : { email: change.email }),
        ...(change.slackUserId === undefined ? {} : { slackUserId: change.slackUserId }),
        ...(change.disabled === undefined
          ? {}
          : { disabledAt: change.disabled ? (user.disabledAt ?? this.#clock.now()) : null }),
      },
      { keepAnAdmin: () => AppErrors.AKM_LAST_ADMIN() },
    );
    if (change.password !== undefined) await this.#setPassword(id, change.password);
    else if (change.disabled === true) await this.#sessions.endAllFor(id);
    this.#revocations.notify();
    return this.#require(id);
  }

  /** Throws `AKM_SLACK_USER_TAKEN` when another user than `self` is linked to `slackUserId`. */
  async #slackUserFree(
    slackUserId: string | null | undefined,
    self: string | undefined,
  ): Promise<void> {
    if (typeof slackUserId !== 'string') return;
    const holder = await this.#users.findBySlackUserId(slackUserId);
    if (holder !== undefined && holder.id !== self)
      throw AppErrors.AKM_SLACK_USER_TAKEN({ slackUserId, username: holder.username });
  }

  /** Ends every session of a user (admin only); returns how many ended. */
  async endSessions(userId: string): Promise<number> {
    await this.#require(userId);
    const ended = await this.#sessions.endAllFor(userId);
    this.#revocations.notify();
    return ended;
  }

  /** A user's live sessions. */
  async listSessions(userId: string): Promise<SessionRecord[]> {
    await this.#require(userId);
    return this.#sessions.listFor(userId);
  }

  /**
   * Makes the `admin` password equal `ADMIN_PASSWORD` when it is set: creates the admin on a
   * new install, replaces the hash (ending its sessions) when the variable changed, and does
   * nothing otherwise.
   */
  async applyEnvironmentPassword(password: string | undefined, log: Logger): Promise<void> {
    if (password === undefined) return;
    const existing = await this.#users.findByUsername(adminUsername);
    if (existing === undefined) {
      await this.#users.createIfAbsent({
        username: adminUsername,
        passwordHash: await this.#hasher.hash(password),
        role: 'admin',
        at: this.#clock.now(),
      });
      log.info('admin user created from ADMIN_PASSWORD');
    } else if (!(await this.#hasher.verify(password, existing.passwordHash))) {
      await this.#setPassword(existing.id, password);
      log.info("admin password updated from ADMIN_PASSWORD; the admin's sessions ended");
    }
  }

  async #setPassword(userId: string, password: string): Promise<void> {
    await this.#users.updatePassword(userId, await this.#hasher.hash(password), this.#clock.now());
    await this.#sessions.endAllFor(userId);
    this.#revocations.notify();
  }

  async #require(id: string): Promise<UserRecord> {
    const user = await this.#users.findById(id);
    if (user === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'user', id });
    return user;
  }
}
