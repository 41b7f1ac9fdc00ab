/**
 * The `alerts[]` of an Alertmanager-format webhook, which Grafana's unified alerting reuses:
 * each element with its own status, labels, annotations, times and fingerprint.
 */
import {
  fingerprintOf,
  normalizeStatus,
  parseTimestamp,
  payloadError,
  text,
  toStringRecord,
  type AlertStatus,
} from '@akmatori/core';
import { alertTimes, type AlertTimes } from './alert-times.js';
import { asObject, firstText, jsonKind, optionalObject, type JsonObject } from './payload.js';

/** One element of `alerts[]`, checked and read. */
export interface AlertmanagerStyleAlert extends AlertTimes {
  /** The element itself, for `payloadItem` and sender-specific fields. */
  readonly item: JsonObject;
  /** The alert's own status (not the notification's). */
  readonly status: AlertStatus;
  /** Its labels as strings. */
  readonly labels: Record<string, string>;
  /** Its annotations as strings. */
  readonly annotations: Record<string, string>;
  /** The sender's fingerprint, or one made from the sorted labels when there is none. */
  readonly fingerprint: string;
  /** Link to the rule or query that produced the alert, as sent. */
  readonly generatorURL: string | undefined;
}

/**
 * Reads and checks `alerts[]`. Throws a payload error naming the first thing wrong:
 * `alerts` missing or not an array, an element that is not an object, labels or annotations
 * that are not objects, a status that is neither firing nor resolved. An element without a
 * status takes the notification's.
 *
 * @example
 * ```ts
 * const alerts = readAlertmanagerStyleAlerts(bodyObject(request.body), context.receivedAt);
 * ```
 */
export function readAlertmanagerStyleAlerts(
  body: JsonObject,
  receivedAt: Date,
): AlertmanagerStyleAlert[] {
  const { alerts } = body;
  if (!Array.isArray(alerts)) {
    throw payloadError(`alerts must be an array, got ${jsonKind(alerts)}`);
  }
  return alerts.map((element, index) => readOne(element, `alerts[${index}]`, body, receivedAt));
}

function readOne(
  element: unknown,
  where: string,
  body: JsonObject,
  receivedAt: Date,
): AlertmanagerStyleAlert {
  const item = asObject(element);
  if (item === undefined) {
    throw payloadError(`${where} must be an object, got ${jsonKind(element)}`);
  }
  const labels = toStringRecord(optionalObject(item.labels, `${where}.labels`));
  const annotations = toStringRecord(optionalObject(item.annotations, `${where}.annotations`));
  const status = normalizeStatus(item.status ?? body.status);
  if (status === undefined) {
    throw payloadError(`${where}.status must be "firing" or "resolved"`);
  }
  return {
    item,
    status,
    labels,
    annotations,
    fingerprint: text(item.fingerprint) ?? labelsFingerprint(labels),
    generatorURL: text(item.generatorURL),
    ...alertTimes(status, receivedAt, {
      startsAt: parseTimestamp(item.startsAt),
      endsAt: parseTimestamp(item.endsAt),
    }),
  };
}

/** Alertmanager identifies an alert by its label set: the same idea, as a short hash. */
function labelsFingerprint(labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`);
  return fingerprintOf(pairs);
}

/**
 * The affected host from the usual Prometheus labels: `instance`, then `host`, then `hostname`.
 *
 * @example
 * ```ts
 * hostFromLabels({ instance: 'web-1:9100' }); // 'web-1:9100'
 * ```
 */
export function hostFromLabels(labels: Record<string, string>): string | undefined {
  return firstText(labels.instance, labels.host, labels.hostname);
}

/**
 * The affected service from the usual Prometheus labels: `service`, then `job`.
 *
 * @example
 * ```ts
 * serviceFromLabels({ job: 'node-exporter' }); // 'node-exporter'
 * ```
 */
export function serviceFromLabels(labels: Record<string, string>): string | undefined {
  return firstText(labels.service, labels.job);
}

/**
 * The runbook link: the `runbook_url` annotation (the Prometheus convention), else a
 * `runbook_url` label, else a `runbook` annotation.
 *
 * @example
 * ```ts
 * runbookFrom({ runbook_url: 'https://runbooks/x' }, {}); // 'https://runbooks/x'
 * ```
 */
export function runbookFrom(
  annotations: Record<string, string>,
  labels: Record<string, string>,
): string | undefined {
  return firstText(annotations.runbook_url, labels.runbook_url, annotations.runbook);
}
