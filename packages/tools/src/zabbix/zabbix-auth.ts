import { ZabbixErrors } from './zabbix-errors.js';

/** A Zabbix version as `[major, minor, patch]`. */
export type ZabbixVersion = readonly [number, number, number];

/** Methods Zabbix requires to be called without credentials. */
export const UNAUTHENTICATED_METHODS: ReadonlySet<string> = new Set([
  'apiinfo.version',
  'user.login',
]);

/**
 * Parses what `apiinfo.version` returns (`6.0.14`, `7.2.0rc1`).
 *
 * @example
 * ```ts
 * parseZabbixVersion('6.0.14'); // [6, 0, 14]
 * ```
 */
export function parseZabbixVersion(text: unknown): ZabbixVersion {
  const match = typeof text === 'string' ? /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text) : null;
  if (match === null) {
    throw ZabbixErrors.AKM_ZABBIX_INVALID_RESPONSE({
      reason: `apiinfo.version returned ${JSON.stringify(text)}, which is not a Zabbix version`,
    });
  }
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** True when `version` is `major.minor` or later. */
export function isAtLeast(version: ZabbixVersion, major: number, minor: number): boolean {
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/**
 * Where a token or session id goes: Zabbix reads the `Authorization: Bearer` header from
 * 6.4 on (and removed the body's `auth` field in 7.2); before 6.4 only the `auth` field
 * works (6.0 answers "Not authorized." to the header).
 *
 * @example
 * ```ts
 * authPlacement([6, 0, 14]); // 'body'
 * authPlacement([7, 0, 0]); // 'header'
 * ```
 */
export function authPlacement(version: ZabbixVersion): 'header' | 'body' {
  return isAtLeast(version, 6, 4) ? 'header' : 'body';
}

/**
 * The parameters of `user.login`: the user name is `username` from 5.4 on, `user` before.
 *
 * @example
 * ```ts
 * loginParams([6, 0, 14], 'Admin', 'zabbix'); // { username: 'Admin', password: 'zabbix' }
 * ```
 */
export function loginParams(
  version: ZabbixVersion,
  username: string,
  password: string,
): Record<string, string> {
  return isAtLeast(version, 5, 4) ? { username, password } : { user: username, password };
}

/**
 * True when a JSON-RPC error means the credentials were not accepted: "Not authorized."
 * (unknown token, no credentials) or "Session terminated, re-login, please." (expired or
 * unknown session; 6.0 also says it for an unknown 64-character token).
 *
 * @example
 * ```ts
 * isAuthRejection({ code: -32602, message: 'Invalid params.', data: 'Not authorized.' }); // true
 * ```
 */
export function isAuthRejection(error: { readonly data?: unknown }): boolean {
  const data = typeof error.data === 'string' ? error.data : '';
  return /^Not authori[sz]ed\.?$/i.test(data) || /session terminated/i.test(data);
}
