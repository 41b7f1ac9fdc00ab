/** A setting Akmatori no longer reads, and what to set instead. */
export interface RetiredSetting {
  /** Its name in a config file. */
  readonly key: string;
  /** Its environment variable. */
  readonly env: string;
  /** Why it went and what replaces it, as the operator should read it. */
  readonly instead: string;
}

/**
 * Settings that were removed. Naming one (in the environment or the config file) stops the
 * start with `AKM_CONFIG_INVALID` saying what to set instead, rather than being ignored: an
 * operator who set it expects it to do something.
 *
 * @example
 * ```ts
 * retiredSettings.find((s) => s.env === 'AKMATORI_TRUST_PROXY')?.instead;
 * ```
 */
export const retiredSettings: readonly RetiredSetting[] = Object.freeze([
  {
    key: 'trustProxy',
    env: 'AKMATORI_TRUST_PROXY',
    instead:
      'it believed every X-Forwarded-For entry, so any client could choose its own address; remove it and set AKMATORI_TRUSTED_PROXY_HOPS to the number of reverse proxies in front of Akmatori (1 behind one nginx; 0, the default, when clients connect directly)',
  },
  {
    key: 'jwtSecret',
    env: 'AKMATORI_JWT_SECRET',
    instead:
      'login tokens are now revocable sessions stored by hash in the database, and nothing signs them; remove it (AKMATORI_SESSION_TTL and AKMATORI_SESSION_MAX_AGE set how long a session lasts)',
  },
]);
