import { PrometheusErrors } from './http-api-errors.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/**
 * Seconds in a Prometheus duration (`90s`, `5m`, `1h30m`, `2d`) or a number of seconds.
 * Undefined when `text` is neither.
 *
 * @example
 * ```ts
 * durationSeconds('1h30m'); // 5400
 * ```
 */
export function durationSeconds(text: unknown): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) > 0 ? Number(trimmed) : undefined;
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g))
    total += Number(amount) * (UNIT_SECONDS[unit as string] ?? 0);
  return total > 0 ? total : undefined;
}

/**
 * Reads a time argument as unix seconds: `now`, `now-<duration>` (`now-1h`), unix seconds
 * (a number or digits) or an RFC 3339 time. Undefined for an absent value; a value that is
 * none of these is an `AKM_PROMETHEUS_INPUT_INVALID` error naming `field`.
 *
 * @example
 * ```ts
 * timeSeconds('now-5m', 'start', 1_700_000_000); // 1699999700
 * ```
 */
export function timeSeconds(value: unknown, field: string, now: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === 'now') return now;
    const relative = /^now\s*-\s*(.+)$/.exec(text);
    const ago = relative === null ? undefined : durationSeconds(relative[1]);
    if (ago !== undefined) return now - ago;
    if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
    const parsed = Date.parse(text);
    if (!Number.isNaN(parsed) && relative === null) return parsed / 1000;
  }
  throw PrometheusErrors.AKM_PROMETHEUS_INPUT_INVALID({
    reason: `${field} ${JSON.stringify(value)} is not a time: use "now", "now-1h", unix seconds or RFC 3339 (2024-05-01T12:00:00Z)`,
  });
}

/**
 * Unix seconds as RFC 3339 (to the millisecond).
 *
 * @example
 * ```ts
 * isoTime(1_700_000_000); // '2023-11-14T22:13:20.000Z'
 * ```
 */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/**
 * Seconds as a short duration (`1h30m`, `45s`).
 *
 * @example
 * ```ts
 * durationText(5400); // '1h30m'
 * ```
 */
export function durationText(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
