import type { NormalizedAlert } from '@akmatori/core';
import type { AlertSourceRecord, ReceivedAlert } from '@akmatori/host';

/**
 * The group key of an alert: the sender's own (Alertmanager's `groupKey`), else the values of
 * the source's `group_by` labels, else the alert name.
 */
export function groupKeyOf(alert: NormalizedAlert, groupBy: readonly string[]): string {
  if (alert.groupKey !== undefined && alert.groupKey !== '') return alert.groupKey;
  if (groupBy.length === 0) return `alertname=${alert.name}`;
  return groupBy
    .map((label) => `${label}=${alert.labels[label] ?? (label === 'alertname' ? alert.name : '')}`)
    .join(',');
}

/**
 * Turns a normalized alert into what the inbox stores: dates as ISO strings, group key set.
 * Built field by field (optional ones only when present): it runs for every alert received.
 */
export function toReceivedAlert(
  alert: NormalizedAlert,
  source: Pick<AlertSourceRecord, 'groupBy'>,
): ReceivedAlert {
  const received: Mutable<ReceivedAlert> = {
    name: alert.name,
    status: alert.status,
    severity: alert.severity,
    fingerprint: alert.fingerprint,
    groupKey: groupKeyOf(alert, source.groupBy),
    labels: alert.labels,
    annotations: alert.annotations,
    extra: alert.extra ?? {},
  };
  if (alert.rawSeverity !== undefined) received.rawSeverity = alert.rawSeverity;
  if (alert.host !== undefined) received.host = alert.host;
  if (alert.service !== undefined) received.service = alert.service;
  if (alert.summary !== undefined) received.summary = alert.summary;
  if (alert.description !== undefined) received.description = alert.description;
  if (alert.runbookUrl !== undefined) received.runbookUrl = alert.runbookUrl;
  if (alert.sourceUrl !== undefined) received.sourceUrl = alert.sourceUrl;
  if (alert.startsAt !== undefined) received.startsAt = alert.startsAt.toISOString();
  if (alert.endsAt !== undefined) received.endsAt = alert.endsAt.toISOString();
  return received;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
