import type { AkmatoriError } from '@akmatori/core';
import {
  authPlacement,
  isAuthRejection,
  loginParams,
  parseZabbixVersion,
  UNAUTHENTICATED_METHODS,
  type ZabbixVersion,
} from './zabbix-auth.js';
import type { ZabbixCredentials } from './zabbix-credentials.js';
import { isZabbixError, withoutSecrets, ZabbixErrors, type JsonRpcError } from './zabbix-errors.js';
import { displayUrl, postJson, zabbixAgent, type HttpReply } from './zabbix-http.js';

/** Limits of a {@link ZabbixClient}. */
export interface ZabbixClientOptions {
  /** Time limit of one HTTP request, in milliseconds; default 15 000. */
  readonly timeoutMs?: number;
  /** Largest answer accepted, in bytes; default 4 MiB. */
  readonly maxResponseBytes?: number;
}

/** A JSON-RPC client of one Zabbix API, logged in with one set of credentials. */
export interface ZabbixClient {
  /** The API URL, without credentials or query. */
  readonly url: string;
  /** The server's version (`apiinfo.version`), asked once per client. */
  version(signal: AbortSignal): Promise<ZabbixVersion>;
  /**
   * Calls `method` with the credentials (none for `apiinfo.version` and `user.login`) and
   * resolves with its `result`. Rejects with one of {@link ZabbixErrors}, free of secrets.
   */
  call<T = unknown>(method: string, params: unknown, signal: AbortSignal): Promise<T>;
}

export type { JsonRpcError } from './zabbix-errors.js';

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * A client of the Zabbix API at `credentials.api_url`. It asks `apiinfo.version` once, then
 * sends the API token, or the session of `user.login` (logging in again once when Zabbix
 * ends the session), in the `Authorization: Bearer` header on 6.4 and later and in the
 * body's `auth` field before. With `verify_tls: false` it accepts any certificate.
 *
 * @example
 * ```ts
 * const client = createZabbixClient({ api_url: 'https://zabbix.local/api_jsonrpc.php', api_token });
 * const hosts = await client.call('host.get', { output: ['host'] }, signal);
 * ```
 */
export function createZabbixClient(
  credentials: ZabbixCredentials,
  options: ZabbixClientOptions = {},
): ZabbixClient {
  const url = apiUrl(credentials.api_url);
  const where = displayUrl(url);
  const agent = zabbixAgent(url, credentials.verify_tls !== false);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const token = nonEmpty(credentials.api_token);
  const username = nonEmpty(credentials.username);
  const password = nonEmpty(credentials.password);
  let requestId = 0;
  let versionPromise: Promise<ZabbixVersion> | undefined;
  let sessionPromise: Promise<string> | undefined;
  let lastSession: string | undefined;

  async function rpc<T>(
    method: string,
    params: unknown,
    signal: AbortSignal,
    auth?: { secret: string; placement: 'header' | 'body' },
  ): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json-rpc' };
    const request: Record<string, unknown> = { jsonrpc: '2.0', method, params };
    if (auth?.placement === 'header') headers.authorization = `Bearer ${auth.secret}`;
    if (auth?.placement === 'body') request.auth = auth.secret;
    request.id = ++requestId;
    const reply = await postJson(url, agent, JSON.stringify(request), headers, {
      signal,
      timeoutMs,
      maxBytes,
    });
    return readReply<T>(method, reply, where);
  }

  const version = (signal: AbortSignal): Promise<ZabbixVersion> =>
    (versionPromise ??= rpc<unknown>('apiinfo.version', [], signal)
      .then(parseZabbixVersion)
      .catch((error: unknown) => {
        versionPromise = undefined;
        throw error;
      }));

  const login = async (signal: AbortSignal): Promise<string> => {
    if (username === undefined || password === undefined) {
      throw ZabbixErrors.AKM_ZABBIX_INPUT_INVALID({
        reason: 'api_token, or username and password, is required',
      });
    }
    const params = loginParams(await version(signal), username, password);
    const session = await rpc<unknown>('user.login', params, signal).catch((error: unknown) => {
      if (!isZabbixError(error, ZabbixErrors.AKM_ZABBIX_API_ERROR)) throw error;
      throw ZabbixErrors.AKM_ZABBIX_LOGIN_FAILED({ rejection: error.message, user: username });
    });
    if (typeof session !== 'string' || session === '') {
      throw ZabbixErrors.AKM_ZABBIX_INVALID_RESPONSE({
        reason: 'user.login returned no session id',
      });
    }
    lastSession = session;
    return session;
  };

  const session = (signal: AbortSignal): Promise<string> =>
    (sessionPromise ??= login(signal).catch((error: unknown) => {
      sessionPromise = undefined;
      throw error;
    }));

  async function authenticatedCall<T>(
    method: string,
    params: unknown,
    signal: AbortSignal,
  ): Promise<T> {
    const placement = authPlacement(await version(signal));
    if (token !== undefined) {
      return rpc<T>(method, params, signal, { secret: token, placement }).catch(
        (error: unknown) => {
          if (!isRejection(error)) throw error;
          throw ZabbixErrors.AKM_ZABBIX_TOKEN_REFUSED({ rejection: error.message });
        },
      );
    }
    const current = session(signal);
    try {
      return await rpc<T>(method, params, signal, { secret: await current, placement });
    } catch (error) {
      if (!isRejection(error)) throw error;
    }
    // The session ended (logout, autologout, server restart): log in once more.
    if (sessionPromise === current) sessionPromise = undefined;
    const renewed = await session(signal);
    return rpc<T>(method, params, signal, { secret: renewed, placement }).catch(
      (error: unknown) => {
        if (!isRejection(error)) throw error;
        throw ZabbixErrors.AKM_ZABBIX_SESSION_REFUSED({
          rejection: error.message,
          user: username ?? '',
        });
      },
    );
  }

  const secrets = (): (string | undefined)[] => [token, password, lastSession];
  return {
    url: where,
    async version(signal) {
      return version(signal).catch((error: unknown) => {
        throw withoutSecrets(error, secrets());
      });
    },
    async call<T>(method: string, params: unknown, signal: AbortSignal): Promise<T> {
      try {
        return UNAUTHENTICATED_METHODS.has(method)
          ? await rpc<T>(method, params, signal)
          : await authenticatedCall<T>(method, params, signal);
      } catch (error) {
        throw withoutSecrets(error, secrets());
      }
    },
  };
}

function readReply<T>(method: string, reply: HttpReply, where: string): T {
  const excerpt = reply.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (reply.status < 200 || reply.status > 299) {
    throw ZabbixErrors.AKM_ZABBIX_HTTP_STATUS({
      method,
      where,
      status: reply.status,
      statusMessage: reply.statusMessage,
      excerpt,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    body = undefined;
  }
  if (body === null || typeof body !== 'object' || !('result' in body || 'error' in body)) {
    throw ZabbixErrors.AKM_ZABBIX_NOT_JSON_RPC({ method, where, excerpt });
  }
  if ('error' in body && body.error !== undefined && body.error !== null) {
    const error = typeof body.error === 'object' ? body.error : { message: String(body.error) };
    const rpc = error as JsonRpcError;
    throw ZabbixErrors.AKM_ZABBIX_API_ERROR({ method, rpc }, { details: { rpc } });
  }
  return (body as { result: T }).result;
}

function apiUrl(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw ZabbixErrors.AKM_ZABBIX_INPUT_INVALID({
      reason: 'api_url is not an http(s) URL of the Zabbix API',
    });
  }
  return url;
}

function isRejection(error: unknown): error is AkmatoriError {
  return (
    isZabbixError(error, ZabbixErrors.AKM_ZABBIX_API_ERROR) &&
    isAuthRejection((error.details as { rpc: JsonRpcError }).rpc)
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
