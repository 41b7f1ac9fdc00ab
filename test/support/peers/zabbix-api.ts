/** A Zabbix JSON-RPC API error, with the method that failed. */
export class ZabbixApiError extends Error {
  constructor(
    readonly method: string,
    readonly detail: unknown,
  ) {
    super(`Zabbix API ${method} failed: ${JSON.stringify(detail)}`);
    this.name = 'ZabbixApiError';
  }
}

/** A client of one Zabbix frontend's `api_jsonrpc.php`. */
export interface ZabbixApi {
  readonly url: string;
  /**
   * Calls `method`. Zabbix 6.0 takes the session id or API token in the body's `auth` field
   * (an `Authorization: Bearer` header is only read from 6.4 on: 6.0.14 answers "Not
   * authorized." to it).
   */
  call<T = unknown>(method: string, params: unknown, auth?: string): Promise<T>;
}

/**
 * A JSON-RPC 2.0 client for `url` (…/api_jsonrpc.php).
 *
 * @example
 * ```ts
 * const api = zabbixApi('http://127.0.0.1:25080/api_jsonrpc.php');
 * const version = await api.call<string>('apiinfo.version', {});
 * ```
 */
export function zabbixApi(url: string): ZabbixApi {
  let id = 0;
  return {
    url,
    async call<T>(method: string, params: unknown, auth?: string): Promise<T> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json-rpc' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          method,
          params,
          ...(auth !== undefined && { auth }),
          id: ++id,
        }),
      });
      const text = await response.text();
      let body: { result?: T; error?: unknown };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new ZabbixApiError(method, `HTTP ${response.status}: ${text.slice(0, 500)}`);
      }
      if (body.error !== undefined) throw new ZabbixApiError(method, body.error);
      return body.result as T;
    },
  };
}
