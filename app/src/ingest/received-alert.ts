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

/** Turns a normalized alert into what the inbox stores: dates as ISO strings, group key set. */
export function toReceivedAlert(
  alert: NormalizedAlert,
  source: Pick<AlertSourceRecord, 'groupBy'>,
): ReceivedAlert {
  const received: ReceivedAlert = {
    name: alert.name,
    status: alert.status,
    severity: alert.severity,
    fingerprint: alert.fingerprint,
    groupKey: groupKeyOf(alert, source.groupBy),
    labels: alert.labels,
    annotations: alert.annotations,
    extra: alert.extra ?? {},
    ...(alert.rawSeverity === undefined ? {} : { rawSeverity: alert.rawSeverity }),
    ...(alert.host === undefined ? {} : { host: alert.host }),
    ...(alert.service === undefined ? {} : { service: alert.service }),
    ...(alert.summary === undefined ? {} : { summary: alert.summary }),
    ...(alert.description === undefined ? {} : { description: alert.description }),
    ...(alert.runbookUrl === undefined ? {} : { runbookUrl: alert.runbookUrl }),
    ...(alert.sourceUrl === undefined ? {} : { sourceUrl: alert.sourceUrl }),
    ...(alert.startsAt === undefined ? {} : { startsAt: alert.startsAt.toISOString() }),
    ...(alert.endsAt === undefined ? {} : { endsAt: alert.endsAt.toISOString() }),
  };
  return received;
}
