/** How urgent an alert is, after normalization from the sender's own scale. */
export type AlertSeverity = 'critical' | 'high' | 'warning' | 'info';

/** Every severity, from most to least urgent. */
export const alertSeverities: readonly AlertSeverity[] = Object.freeze([
  'critical',
  'high',
  'warning',
  'info',
]);

/** Whether the condition behind an alert is happening now or has ended. */
export type AlertStatus = 'firing' | 'resolved';

/**
 * One alert as Akmatori understands it, whatever system sent it. Adapters produce these;
 * the incident engine deduplicates them by `(source, fingerprint)` and groups them by `groupKey`.
 */
export interface NormalizedAlert {
  /** Short name of the condition, e.g. `HighCPU`. */
  name: string;
  /** The alert's own status (not the status of the notification that carried it). */
  status: AlertStatus;
  /** Normalized severity. */
  severity: AlertSeverity;
  /** The severity exactly as the sender wrote it, if it wrote one. */
  rawSeverity?: string;
  /** Stable identity of this alert at its source; the same condition keeps the same fingerprint. */
  fingerprint: string;
  /** Alerts sharing a group key belong to the same incident while it is open. */
  groupKey?: string;
  /** The affected host or instance. */
  host?: string;
  /** The affected service. */
  service?: string;
  /** One-line summary. */
  summary?: string;
  /** Longer description. */
  description?: string;
  /** Link to the runbook for this alert. */
  runbookUrl?: string;
  /** Link back to the alert in the sending system. */
  sourceUrl?: string;
  /** When the condition started. */
  startsAt?: Date;
  /** When the condition ended, for resolved alerts. */
  endsAt?: Date;
  /** Identifying key/value pairs. */
  labels: Record<string, string>;
  /** Descriptive key/value pairs. */
  annotations: Record<string, string>;
  /** Sender-specific data worth keeping (values, URLs, priorities). */
  extra?: Record<string, unknown>;
  /**
   * The part of the payload this alert was read from (an element of `alerts[]`, say).
   * `field_mappings` paths are resolved against it first, then against the whole body.
   * Defaults to the whole body. Not stored.
   */
  payloadItem?: unknown;
}
