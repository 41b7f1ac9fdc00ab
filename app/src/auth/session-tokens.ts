import { randomBytes } from 'node:crypto';
import type { Clock, SecretBox, SettingsRepository } from '@akmatori/core';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AppErrors } from '../errors.js';

const ISSUER = 'akmatori';
const AUDIENCE = 'akmatori-api';
const KEY_SETTING = 'auth.jwt_signing_key';

/** Who a valid login token belongs to. */
export interface SessionClaims {
  /** The user's id. */
  readonly userId: string;
  /** The user's login name. */
  readonly username: string;
  /** When the token was issued. */
  readonly issuedAt: Date;
}

/** A newly issued login token. */
export interface IssuedSession {
  /** The JWT. */
  readonly token: string;
  /** When it stops working. */
  readonly expiresAt: Date;
}

/**
 * Issues and verifies login tokens: HS256 JWTs with issuer, audience and expiry, signed by
 * `AKMATORI_JWT_SECRET` or, when unset, by a random key generated once and stored sealed in
 * the settings table (so every API replica shares it).
 */
export class SessionTokens {
  readonly #key: Uint8Array;
  readonly #ttlSeconds: number;
  readonly #clock: Clock;

  private constructor(key: Uint8Array, ttlSeconds: number, clock: Clock) {
    this.#key = key;
    this.#ttlSeconds = ttlSeconds;
    this.#clock = clock;
  }

  /** Loads (or creates and stores) the signing key and returns a ready issuer. */
  static async open(options: {
    jwtSecret: string | undefined;
    ttlSeconds: number;
    clock: Clock;
    settings: SettingsRepository;
    secretBox: SecretBox;
  }): Promise<SessionTokens> {
    let key: Uint8Array;
    if (options.jwtSecret !== undefined) {
      key = new TextEncoder().encode(options.jwtSecret);
    } else {
      const candidate = options.secretBox.seal(randomBytes(32).toString('base64'), KEY_SETTING);
      const stored = await options.settings.setIfAbsent(KEY_SETTING, candidate);
      key = Buffer.from(options.secretBox.open(stored, KEY_SETTING), 'base64');
    }
    return new SessionTokens(key, options.ttlSeconds, options.clock);
  }

  /** Issues a login token for a user. */
  async issue(user: { id: string; username: string }): Promise<IssuedSession> {
    const now = Math.floor(this.#clock.now().getTime() / 1000);
    const expiresAt = new Date((now + this.#ttlSeconds) * 1000);
    const token = await new SignJWT({ name: user.username })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#key);
    return { token, expiresAt };
  }

  /** Verifies a login token. Throws `AKM_AUTH_INVALID_TOKEN` saying why it was refused. */
  async verify(token: string): Promise<SessionClaims> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: this.#clock.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return {
        userId: payload.sub as string,
        username: typeof payload.name === 'string' ? payload.name : '',
        issuedAt: new Date((payload.iat as number) * 1000),
      };
    } catch (error) {
      const reason =
        error instanceof joseErrors.JWTExpired
          ? 'the token has expired; log in again'
          : 'not a valid login token';
      throw AppErrors.AKM_AUTH_INVALID_TOKEN({ reason }, { cause: error });
    }
  }
}
