/**
 * True when `value` is a UUID as PostgreSQL prints them. Repositories check ids taken from URLs
 * with it first, so a malformed id finds nothing instead of failing the query's cast.
 *
 * @example
 * ```ts
 * isUuid('not-a-uuid'); // false
 * ```
 */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
