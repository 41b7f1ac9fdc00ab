import type { FastifyRequest } from 'fastify';
import { AppErrors } from '../errors.js';

/**
 * A `preValidation` hook for list filters that take several values: each named query
 * parameter may be repeated (`?state=open&state=acknowledged`) or hold a comma-separated list
 * (`?state=open,acknowledged`), or both. The values become one array, and one that is not
 * allowed is refused with `AKM_VALIDATION` naming the allowed ones (the schema's enum check
 * then passes, and the OpenAPI document still lists them).
 *
 * @example
 * ```ts
 * app.get('/incidents', { preValidation: enumListFilters({ state: incidentStates }), ... }, handler);
 * ```
 */
export function enumListFilters(
  filters: Readonly<Record<string, readonly string[]>>,
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const query = request.query as Record<string, unknown>;
    for (const [name, allowed] of Object.entries(filters)) {
      const raw = query[name];
      if (raw === undefined) continue;
      const values = (Array.isArray(raw) ? raw : [raw])
        .flatMap((value) => String(value).split(','))
        .map((value) => value.trim())
        .filter((value) => value !== '');
      const wrong = values.filter((value) => !allowed.includes(value));
      if (wrong.length > 0)
        throw AppErrors.AKM_VALIDATION({
          reason: `querystring/${name}: ${wrong.map((value) => JSON.stringify(value)).join(', ')} is not one of ${allowed.join(', ')}`,
        });
      query[name] = [...new Set(values)];
    }
  };
}
