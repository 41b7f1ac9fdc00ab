import {
  fingerprintOf,
  getPath,
  normalizeSeverity,
  normalizeStatus,
  parseTimestamp,
  text,
  type NormalizedAlert,
} from '@akmatori/core';

/** The normalized fields a source's `field_mappings` can override. */
export const mappableFields = [
  'name',
  'severity',
  'status',
  'host',
  'service',
  'summary',
  'description',
  'fingerprint',
  'runbook_url',
  'started_at',
] as const;

/** One of {@link mappableFields}. */
export type MappableField = (typeof mappableFields)[number];

/**
 * Overrides an alert's fields with values read from the payload at the configured dot paths.
 * A path is looked up in the part of the payload the alert came from (`payloadItem`), then in
 * the whole body. A path that finds nothing leaves the adapter's value alone.
 *
 * @example
 * ```ts
 * applyFieldMappings(alert, { host: 'labels.node' }, body);
 * ```
 */
export function applyFieldMappings(
  alert: NormalizedAlert,
  mappings: Readonly<Record<string, string>>,
  body: unknown,
): NormalizedAlert {
  const entries = Object.entries(mappings);
  if (entries.length === 0) return alert;
  const mapped: NormalizedAlert = { ...alert };
  for (const [field, path] of entries) {
    const value =
      getPath(alert.payloadItem ?? body, path) ??
      (alert.payloadItem === undefined ? undefined : getPath(body, path));
    if (value === undefined || value === null) continue;
    const key = field as MappableField;
    switch (key) {
      case 'severity': {
        const { severity, rawSeverity } = normalizeSeverity(value);
        mapped.severity = severity;
        if (rawSeverity !== undefined) mapped.rawSeverity = rawSeverity;
        break;
      }
      case 'status':
        mapped.status = normalizeStatus(value) ?? mapped.status;
        break;
      case 'started_at':
        mapped.startsAt = parseTimestamp(value) ?? mapped.startsAt;
        break;
      case 'name':
        mapped.name = text(value) ?? mapped.name;
        break;
      case 'fingerprint':
        mapped.fingerprint = text(value) ?? mapped.fingerprint;
        break;
      case 'runbook_url':
        mapped.runbookUrl = text(value) ?? mapped.runbookUrl;
        break;
      case 'host':
      case 'service':
      case 'summary':
      case 'description':
        mapped[key] = text(value) ?? mapped[key];
        break;
    }
  }
  return mapped;
}

/**
 * The alert a payload's field mappings describe on their own, for a payload the source's
 * adapter rejected (a sender in another shape: Keep's Zabbix media type, say). The mappings
 * apply before the adapter's verdict stands: when they give a name, the body is one alert with
 * what they map (status firing and severity warning unless mapped; fingerprint from the source
 * type, host and name unless mapped). Undefined when the body is not an object or no name is
 * mapped, and then the adapter's error stands.
 *
 * @example
 * ```ts
 * alertFromMappings({ name: 'name', host: 'host_name' }, body, 'zabbix', receivedAt);
 * ```
 */
export function alertFromMappings(
  mappings: Readonly<Record<string, string>>,
  body: unknown,
  sourceType: string,
  receivedAt: Date,
): NormalizedAlert | undefined {
  if (mappings.name === undefined) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const base: NormalizedAlert = {
    name: '',
    status: 'firing',
    severity: 'warning',
    fingerprint: '',
    labels: {},
    annotations: {},
    payloadItem: body,
  };
  const mapped = applyFieldMappings(base, mappings, body);
  if (mapped.name === '') return undefined;
  return {
    ...mapped,
    fingerprint:
      mapped.fingerprint === ''
        ? fingerprintOf([sourceType, mapped.host, mapped.name])
        : mapped.fingerprint,
    startsAt: mapped.startsAt ?? receivedAt,
    ...(mapped.status === 'resolved' ? { endsAt: receivedAt } : {}),
  };
}
