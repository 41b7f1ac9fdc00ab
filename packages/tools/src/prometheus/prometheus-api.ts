import type { HttpApiClient, QueryParams } from './http-api-client.js';
import { PrometheusErrors } from './http-api-errors.js';

/** The `data` of a successful Prometheus API v1 answer, with its `warnings`. */
export interface PrometheusAnswer<T> {
  readonly data: T;
  readonly warnings: readonly string[];
}

/**
 * GETs a Prometheus HTTP API v1 endpoint and returns its `data` and `warnings`. An answer
 * with `status: "error"` rejects with `AKM_PROMETHEUS_API_ERROR` (its `errorType` and `error`).
 *
 * @example
 * ```ts
 * const { data } = await prometheusGet<{ resultType: string }>(client, 'api/v1/query', { query: 'up' }, signal);
 * ```
 */
export async function prometheusGet<T>(
  client: HttpApiClient,
  path: string,
  params: QueryParams,
  signal: AbortSignal,
): Promise<PrometheusAnswer<T>> {
  const body = await client.getJson(path, params, signal);
  if (
    body === null ||
    typeof body !== 'object' ||
    (body as { status?: unknown }).status !== 'success' ||
    !('data' in body)
  ) {
    throw PrometheusErrors.AKM_PROMETHEUS_INVALID_RESPONSE({
      service: client.service,
      where: client.where,
      excerpt: JSON.stringify(body).slice(0, 300),
    });
  }
  const { data, warnings } = body as { data: T; warnings?: unknown };
  return {
    data,
    warnings: Array.isArray(warnings) ? warnings.map(String) : [],
  };
}

/** The warnings line of an answer, or nothing. */
export function warningsText(warnings: readonly string[]): string {
  return warnings.length === 0 ? '' : `\nwarnings from Prometheus: ${warnings.join('; ')}`;
}
