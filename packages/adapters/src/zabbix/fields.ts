/**
 * Reading Zabbix's expanded macros: values left unexpanded, severities, dates and tags.
 */
import { normalizeSeverity, parseTimestamp, text, type AlertSeverity } from '@akmatori/core';
import { asObject } from '../shared/payload.js';

/** Text made only of macros (`{EVENT.UPDATE.ACTION}`, `{$RUNBOOK}`, `{EVENT.DATE} {EVENT.TIME}`). */
const unexpandedMacros = /^(?:\s*\{[^{}]+\}\s*)+$/;

/**
 * A field's text, or undefined when it is empty or a macro Zabbix left unexpanded (Zabbix
 * sends `{TRIGGER.URL}` literally when the trigger has no URL).
 *
 * @example
 * ```ts
 * zabbixText('{EVENT.RECOVERY.ID}'); // undefined
 * zabbixText('web-1'); // 'web-1'
 * ```
 */
export function zabbixText(value: unknown): string | undefined {
  const found = text(value);
  return found === undefined || unexpandedMacros.test(found) ? undefined : found;
}

/** The first field that has expanded text. */
export function firstZabbixText(...values: unknown[]): string | undefined {
  for (const value of values) {
    const found = zabbixText(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Zabbix severities by number: Not classified, Information, Warning, Average, High, Disaster. */
const severityByNumber: readonly AlertSeverity[] = Object.freeze([
  'info',
  'info',
  'warning',
  'warning',
  'high',
  'critical',
]);

/**
 * Severity from `{TRIGGER.NSEVERITY}` (0–5) when sent, else from the severity name (Not
 * classified, Information, Warning, Average, High, Disaster). The number wins because
 * Zabbix lets administrators rename severities. The raw value is the name when sent.
 *
 * @example
 * ```ts
 * zabbixSeverity('4', 'High'); // { severity: 'high', rawSeverity: 'High' }
 * ```
 */
export function zabbixSeverity(
  priority: string | undefined,
  name: string | undefined,
): { severity: AlertSeverity; rawSeverity?: string } {
  const byNumber =
    priority !== undefined && /^[0-5]$/.test(priority)
      ? severityByNumber[Number(priority)]
      : undefined;
  if (byNumber !== undefined) return { severity: byNumber, rawSeverity: name ?? priority };
  return normalizeSeverity(name ?? priority);
}

/**
 * A Zabbix date and time (`{EVENT.DATE} {EVENT.TIME}` = `2024.01.15 10:30:00`, dashes
 * accepted), read as UTC; `date` is used when the time was sent on its own.
 *
 * @example
 * ```ts
 * zabbixTime('10:30:00', '2024.01.15'); // 2024-01-15T10:30:00.000Z
 * ```
 */
export function zabbixTime(
  dateTime: string | undefined,
  date?: string,
  timeZone = 'UTC',
): Date | undefined {
  if (dateTime === undefined) return undefined;
  return (
    parseTimestamp(dateTime, { timeZone }) ??
    (date === undefined ? undefined : parseTimestamp(`${date} ${dateTime}`, { timeZone }))
  );
}

/**
 * Event tags as labels: `{EVENT.TAGS}` (`scope:availability, service:web`), or
 * `{EVENT.TAGSJSON}` (`[{"tag":"scope","value":"availability"}]`) as text or as a list.
 *
 * @example
 * ```ts
 * zabbixTags('scope:availability, service:web'); // { scope: 'availability', service: 'web' }
 * ```
 */
export function zabbixTags(raw: unknown): Record<string, string> {
  const list = Array.isArray(raw) ? raw : jsonList(zabbixText(raw));
  const labels: Record<string, string> = {};
  if (list !== undefined) {
    for (const entry of list) {
      const tag = asObject(entry);
      const key = text(tag?.tag);
      if (key !== undefined) labels[key] = text(tag?.value) ?? '';
    }
    return labels;
  }
  for (const pair of zabbixText(raw)?.split(',') ?? []) {
    const colon = pair.indexOf(':');
    const key = (colon === -1 ? pair : pair.slice(0, colon)).trim();
    if (key !== '') labels[key] = colon === -1 ? '' : pair.slice(colon + 1).trim();
  }
  return labels;
}

function jsonList(value: string | undefined): unknown[] | undefined {
  if (value === undefined || !value.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `triggerid` query parameter of a Zabbix frontend link (`tr_events.php?triggerid=…`).
 *
 * @example
 * ```ts
 * triggerIdFromLink('https://zabbix/tr_events.php?triggerid=14032&eventid=10528'); // '14032'
 * ```
 */
export function triggerIdFromLink(link: string | undefined): string | undefined {
  if (link === undefined || !URL.canParse(link)) return undefined;
  return text(new URL(link).searchParams.get('triggerid'));
}
