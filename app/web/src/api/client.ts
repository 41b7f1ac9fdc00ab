import createClient, { type Middleware } from 'openapi-fetch';
import { sessionToken } from '../auth/session-token';
import { ApiError, apiErrorOf } from './errors';
import type { paths } from './schema';

/** Calls that answer 401 for a wrong password rather than for a dead session. */
const CREDENTIAL_CALLS = ['/auth/login', '/auth/setup', '/auth/password'];

let unauthorized: (() => void) | undefined;

/** What to do when the API answers 401 to a call made with the session (it has ended). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

const bearer: Middleware = {
  onRequest({ request }) {
    const token = sessionToken.value;
    if (token !== null) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    // Only a 401 to the session still held means it ended: one answered after a logout or a
    // new login is about a session already forgotten.
    const sent = request.headers.get('authorization');
    const current = sessionToken.value === null ? null : `Bearer ${sessionToken.value}`;
    if (
      response.status === 401 &&
      !CREDENTIAL_CALLS.includes(path) &&
      sent === current &&
      sent !== null
    )
      unauthorized?.();
    return response;
  },
};

/**
 * The API client, typed from the OpenAPI document (`schema.d.ts`, `npm run api:types`): it
 * sends the session token as `Authorization: Bearer`.
 *
 * @example
 * ```ts
 * const page = await call(api.GET('/api/incidents', { params: { query: { page: 1 } } }));
 * ```
 */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(bearer);

/** An openapi-fetch result: data on success, the error body otherwise. */
interface Result<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a call, or an {@link ApiError} with the API's code and message.
 *
 * @example
 * ```ts
 * const me = await call(api.GET('/api/me'));
 * ```
 */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (error) {
    throw new ApiError(0, 'NETWORK', `The API could not be reached: ${(error as Error).message}`);
  }
  if (!result.response.ok) throw apiErrorOf(result.response, result.error);
  return result.data as T;
}
