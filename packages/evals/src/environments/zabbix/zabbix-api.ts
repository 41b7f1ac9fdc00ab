import { EvalErrors } from '../../errors.js';

/** A client of one Zabbix frontend's `api_jsonrpc.php`, calls authenticated with `auth`. */
export interface ZabbixApi {
  readonly url: string;
  /** Calls `method`; Zabbix 6.0 takes the session or token in the body's `auth` field. */
  call<T = unknown>(method: string, params: unknown, auth?: string): Promise<T>;
}

/**
 * A JSON-RPC 2.0 client for `url` (…/api_jsonrpc.php); an API error throws with the method.
 *
 * @example
 * ```ts
 * const version = await zabbixApi('http://127.0.0.1:25080/api_jsonrpc.php').call<string>('apiinfo.version', {});
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
        throw EvalErrors.AKM_EVAL_PEER_REFUSED({
          peer: 'the Zabbix API',
          request: method,
          answer: `HTTP ${response.status}: ${text.slice(0, 500)}`,
        });
      }
      if (body.error !== undefined)
        throw EvalErrors.AKM_EVAL_PEER_REFUSED({
          peer: 'the Zabbix API',
          request: method,
          answer: JSON.stringify(body.error),
        });
      return body.result as T;
    },
  };
}
