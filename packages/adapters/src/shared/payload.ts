/**
 * Reading loosely shaped JSON bodies: the checks every adapter makes before it trusts a field.
 */
import { payloadError, parseTimestamp, text } from '@akmatori/core';

/** A JSON object as an adapter reads it: string keys, values not yet checked. */
export type JsonObject = Record<string, unknown>;

/**
 * The value as a JSON object, or undefined for null, arrays and scalars.
 *
 * @example
 * ```ts
 * asObject({ a: 1 }); // { a: 1 }
 * asObject([1]); // undefined
 * ```
 */
export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/**
 * What kind of JSON value this is, for error messages (`a string`, `null`, `an array`...).
 *
 * @example
 * ```ts
 * jsonKind([]); // 'an array'
 * ```
 */
export function jsonKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const kind = typeof value;
  return kind === 'object' ? 'an object' : `a ${kind}`;
}

/**
 * The request body as a JSON object. Anything else (a string, a number, null, an array) is
 * a payload error.
 *
 * @example
 * ```ts
 * const body = bodyObject(request.body);
 * ```
 */
export function bodyObject(body: unknown): JsonObject {
  const object = asObject(body);
  if (object === undefined) {
    throw payloadError(`the body must be a JSON object, got ${jsonKind(body)}`);
  }
  return object;
}

/**
 * An optional field that must be an object when it is present; `where` names it in the error.
 *
 * @example
 * ```ts
 * const labels = optionalObject(alert.labels, 'alerts[0].labels') ?? {};
 * ```
 */
export function optionalObject(value: unknown, where: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  const object = asObject(value);
  if (object === undefined) {
    throw payloadError(`${where} must be an object, got ${jsonKind(value)}`);
  }
  return object;
}

/**
 * The first value that reads as non-empty text (see `text` in `@akmatori/core`).
 *
 * @example
 * ```ts
 * firstText(undefined, '  ', 'web-1'); // 'web-1'
 * ```
 */
export function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    const found = text(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The first value that reads as a timestamp (see `parseTimestamp` in `@akmatori/core`).
 *
 * @example
 * ```ts
 * firstTimestamp('', '1733930853000'); // 2024-12-11T15:27:33.000Z
 * ```
 */
export function firstTimestamp(...values: unknown[]): Date | undefined {
  for (const value of values) {
    const found = parseTimestamp(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The same object without its undefined fields, so normalized alerts and their `extra` hold
 * only what the sender sent.
 *
 * @example
 * ```ts
 * defined({ a: 1, b: undefined }); // { a: 1 }
 * ```
 */
export function defined<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const key in record) if (record[key] !== undefined) out[key] = record[key];
  return out as T;
}

/**
 * String pairs without the undefined ones, typed as labels or annotations.
 *
 * @example
 * ```ts
 * definedStrings({ urgency: 'high', priority: undefined }); // { urgency: 'high' }
 * ```
 */
export function definedStrings(record: Record<string, string | undefined>): Record<string, string> {
  return defined(record) as Record<string, string>;
}
