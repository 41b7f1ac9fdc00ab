import { createHash } from 'node:crypto';
import type { AlertSeverity, AlertStatus } from '../contracts/alert.js';

const severityWords: Readonly<Record<string, AlertSeverity>> = Object.freeze({
  critical: 'critical',
  crit: 'critical',
  disaster: 'critical',
  emergency: 'critical',
  emerg: 'critical',
  fatal: 'critical',
  page: 'critical',
  p1: 'critical',
  sev1: 'critical',
  high: 'high',
  error: 'high',
  err: 'high',
  major: 'high',
  alert: 'high',
  p2: 'high',
  sev2: 'high',
  warning: 'warning',
  warn: 'warning',
  average: 'warning',
  medium: 'warning',
  moderate: 'warning',
  minor: 'warning',
  p3: 'warning',
  sev3: 'warning',
  info: 'info',
  information: 'info',
  informational: 'info',
  low: 'info',
  notice: 'info',
  debug: 'info',
  none: 'info',
  ok: 'info',
  'not classified': 'info',
  p4: 'info',
  p5: 'info',
  sev4: 'info',
  sev5: 'info',
});

/**
 * Maps a sender's severity word to Akmatori's four levels, keeping the raw value.
 * Unknown or missing values become `fallback` (default `warning`: something is wrong, we
 * cannot tell how badly).
 *
 * @example
 * ```ts
 * normalizeSeverity('Disaster'); // { severity: 'critical', rawSeverity: 'Disaster' }
 * ```
 */
export function normalizeSeverity(
  raw: unknown,
  fallback: AlertSeverity = 'warning',
): { severity: AlertSeverity; rawSeverity?: string } {
  if (raw === undefined || raw === null || raw === '') return { severity: fallback };
  const rawSeverity = String(raw);
  const severity = severityWords[rawSeverity.trim().toLowerCase()] ?? fallback;
  return { severity, rawSeverity };
}

const firingWords = new Set([
  'firing',
  'problem',
  'trigger',
  'triggered',
  'alerting',
  'alert',
  'open',
  'active',
  'critical',
  'warn',
  'warning',
  'error',
]);
const resolvedWords = new Set([
  'resolved',
  'resolve',
  'ok',
  'recovered',
  'recovery',
  'closed',
  'normal',
  'inactive',
  'cleared',
]);

/**
 * Reads a status word as `firing` or `resolved`; undefined when it is neither.
 *
 * @example
 * ```ts
 * normalizeStatus('RESOLVED'); // 'resolved'
 * ```
 */
export function normalizeStatus(raw: unknown): AlertStatus | undefined {
  if (typeof raw !== 'string') return undefined;
  const word = raw.trim().toLowerCase();
  if (firingWords.has(word)) return 'firing';
  if (resolvedWords.has(word)) return 'resolved';
  return undefined;
}

/**
 * Parses the timestamps senders use: ISO 8601, epoch seconds or milliseconds (as numbers or
 * numeric strings), and Zabbix's zone-less `YYYY.MM.DD HH:MM:SS`, read in `timeZone` (an IANA
 * name, default UTC). Go's zero time (`0001-01-01T00:00:00Z`, Alertmanager's "no end") and
 * anything unreadable give undefined.
 *
 * @example
 * ```ts
 * parseTimestamp('1705314600'); // 2024-01-15T10:30:00.000Z
 * parseTimestamp('2024.01.15 19:30:00', { timeZone: 'Asia/Tokyo' }); // 2024-01-15T10:30:00.000Z
 * ```
 */
export function parseTimestamp(
  raw: unknown,
  options: { timeZone?: string } = {},
): Date | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string' && isZonedIso(raw)) return isoDate(raw);
  if (
    typeof raw === 'number' ||
    (typeof raw === 'string' && /^\d{9,13}(\.\d+)?$/.test(raw.trim()))
  ) {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return validDate(new Date(value < 1e11 ? value * 1000 : value));
  }
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  const zabbix = /^(\d{4})[.-](\d{2})[.-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (zabbix) {
    const [, y, mo, d, h, mi, s] = zabbix;
    const wall = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h),
      Number(mi),
      Number(s ?? 0),
    );
    const zone = options.timeZone;
    return validDate(
      new Date(zone === undefined || zone === 'UTC' ? wall : wallTimeToUtc(wall, zone)),
    );
  }
  return isoDate(text);
}

/**
 * True for `YYYY-MM-DDTHH:MM:SS` followed by more (a fraction or a zone), as most senders
 * write their times: neither a number nor Zabbix's zone-less form, so the patterns for those
 * need not run (this is on the path of every alert received).
 */
function isZonedIso(text: string): boolean {
  return (
    text.length > 19 &&
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(10) === 84 && // T
    text.charCodeAt(text.length - 1) > 32 &&
    text.charCodeAt(0) > 32
  );
}

/** An ISO 8601 (or other `Date`-readable) time; Go's zero time gives undefined. */
function isoDate(text: string): Date | undefined {
  const date = validDate(new Date(text));
  return date !== undefined && date.getUTCFullYear() <= 1 ? undefined : date;
}

/** The UTC instant at which the clocks of `timeZone` show the wall time `wall` (given as if UTC). */
function wallTimeToUtc(wall: number, timeZone: string): number {
  const offsetAt = (instant: number): number => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
        .formatToParts(new Date(instant))
        .map((part) => [part.type, Number(part.value)]),
    ) as Record<string, number>;
    const shown = Date.UTC(
      parts.year ?? 0,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return shown - Math.floor(instant / 1000) * 1000;
  };
  const first = wall - offsetAt(wall);
  const second = wall - offsetAt(first);
  return second;
}

/** True when `name` is a time zone this runtime knows (an IANA name such as `Europe/Berlin`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function validDate(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Reads a value at a dot path (`labels.severity`, `alerts.0.fingerprint`). Keys that
 * themselves contain dots can be reached when the full remaining path matches a key.
 *
 * @example
 * ```ts
 * getPath({ a: { b: [{ c: 1 }] } }, 'a.b.0.c'); // 1
 * ```
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, path)) return record[path];
  const dot = path.indexOf('.');
  if (dot === -1) return undefined;
  for (let i = dot; i !== -1; i = path.indexOf('.', i + 1)) {
    const head = path.slice(0, i);
    if (Object.hasOwn(record, head)) {
      const found = getPath(record[head], path.slice(i + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Turns a loosely typed object into string key/value pairs: numbers and booleans become
 * strings, nested values JSON, null and undefined are dropped. Anything but a plain object gives `{}`.
 */
export function toStringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === null || item === undefined) continue;
    out[key] =
      typeof item === 'string'
        ? item
        : typeof item === 'object'
          ? JSON.stringify(item)
          : String(item);
  }
  return out;
}

/**
 * A stable fingerprint from identifying parts: the first 16 hex digits of SHA-256 over
 * the parts joined by NUL, so `['a', 'bc']` and `['ab', 'c']` differ.
 *
 * @example
 * ```ts
 * fingerprintOf(['zabbix', 'web-1', 'CPU high']);
 * ```
 */
export function fingerprintOf(parts: readonly unknown[]): string {
  return createHash('sha256')
    .update(
      parts.map((part) => (part === undefined || part === null ? '' : String(part))).join('\u0000'),
    )
    .digest('hex')
    .slice(0, 16);
}

/** The trimmed string form of a value, or undefined for empty, null and non-scalar values. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
