import type { ToolResult } from '@akmatori/core';
import { isZabbixError, ZabbixErrors } from './zabbix-errors.js';

/** The most characters of `text` a Zabbix tool returns; `structured` keeps everything. */
export const TEXT_LIMIT = 64 * 1024;

/**
 * A successful result: a summary line, then `result` as pretty JSON (cut at
 * {@link TEXT_LIMIT} with a marker saying so), and `structured: {result}`.
 *
 * @example
 * ```ts
 * zabbixResult('2 hosts', hosts);
 * ```
 */
export function zabbixResult(summary: string, result: unknown): ToolResult {
  let text = `${summary}\n${JSON.stringify(result, null, 2) ?? 'null'}`;
  if (text.length > TEXT_LIMIT) {
    const total = text.length;
    text = `${text.slice(0, TEXT_LIMIT)}\n… [truncated: ${TEXT_LIMIT} of ${total} characters shown; narrow the query or lower "limit"]`;
  }
  return { text, structured: { result } };
}

/**
 * The result of a failed call: `isError` with the error's message, which the client has
 * already cleared of secrets. Errors that are not {@link ZabbixErrors} are rethrown.
 *
 * @example
 * ```ts
 * catch (error) { return zabbixErrorResult(error); }
 * ```
 */
export function zabbixErrorResult(error: unknown): ToolResult {
  if (!isZabbixError(error)) throw error;
  return { text: error.message, isError: true, structured: { error_code: error.code } };
}

/** Zabbix severities (trigger priority, problem severity), by number. */
export const SEVERITY_NAMES = [
  'not classified',
  'information',
  'warning',
  'average',
  'high',
  'disaster',
] as const;

/**
 * The name of a Zabbix severity (`'4'` → `high`); unknown values are returned as given.
 *
 * @example
 * ```ts
 * severityName('5'); // 'disaster'
 * ```
 */
export function severityName(value: unknown): string {
  return SEVERITY_NAMES[Number(value)] ?? String(value);
}

/**
 * A Zabbix unix time (seconds, as a string) as ISO 8601; undefined for 0 or nothing.
 *
 * @example
 * ```ts
 * isoTime('1700000000'); // '2023-11-14T22:13:20.000Z'
 * ```
 */
export function isoTime(clock: unknown): string | undefined {
  const seconds = Number(clock);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return new Date(seconds * 1000).toISOString();
}

/**
 * Reads a time argument: unix seconds (a number or digits) or an ISO 8601 time.
 *
 * @example
 * ```ts
 * unixSeconds('2024-05-01T00:00:00Z', 'time_from'); // 1714521600
 * ```
 */
export function unixSeconds(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw ZabbixErrors.AKM_ZABBIX_INPUT_INVALID({
      reason: `${field} ${JSON.stringify(value)} is neither unix seconds nor an ISO 8601 time (e.g. 2024-05-01T12:00:00Z)`,
    });
  }
  return Math.floor(parsed / 1000);
}

/**
 * A row limit argument: a whole number within 1..`max`, else `fallback`.
 *
 * @example
 * ```ts
 * rowLimit(undefined, 50); // 50
 * ```
 */
export function rowLimit(value: unknown, fallback: number, max = 1000): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1
    ? Math.min(value, max)
    : fallback;
}

/**
 * A count with its noun (`1 host`, `3 hosts`).
 *
 * @example
 * ```ts
 * countOf(2, 'problem'); // '2 problems'
 * ```
 */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
