import { EvalErrors } from '../errors.js';

/**
 * The public HTTP API of one Akmatori, called as a logged-in admin. Every call that does not
 * answer the expected status throws `AKM_EVAL_API_FAILED` with the status and the body.
 *
 * @example
 * ```ts
 * const api = akmatoriApi('http://127.0.0.1:40123', token);
 * const tool = await api.call<{ id: string }>('POST', '/api/tools', body, 201);
 * ```
 */
export interface AkmatoriApi {
  /** The server's base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  call<T = unknown>(method: string, route: string, body?: unknown, expect?: number): Promise<T>;
}

/** An {@link AkmatoriApi} for `url`, authenticated with `token` (a session or API token). */
export function akmatoriApi(url: string, token: string): AkmatoriApi {
  return {
    url,
    async call<T>(method: string, route: string, body?: unknown, expect = 200): Promise<T> {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status !== expect)
        throw EvalErrors.AKM_EVAL_API_FAILED({
          method,
          path: route,
          status: response.status,
          body: text.slice(0, 2000),
        });
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
  };
}
