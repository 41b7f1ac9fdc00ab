/**
 * When an alert started and ended, by one rule for every adapter.
 */
import type { AlertStatus } from '@akmatori/core';

/** The times an adapter knows from the payload, already parsed. */
export interface KnownTimes {
  /** When the condition started, if the payload says. */
  readonly startsAt?: Date | undefined;
  /** When the condition ended, if the payload says. */
  readonly endsAt?: Date | undefined;
  /** When the sender produced this notification, if that is all the payload says. */
  readonly eventAt?: Date | undefined;
}

/** An alert's `startsAt` and, for resolved alerts, `endsAt`. */
export interface AlertTimes {
  /** When the condition started. */
  startsAt: Date;
  /** When the condition ended; only for resolved alerts. */
  endsAt?: Date;
}

/**
 * Picks an alert's times. `startsAt` is the payload's start, else the notification's own
 * time, else when the request arrived. `endsAt` is set only for resolved alerts: the
 * payload's end, else the notification's time, else the arrival time. A firing alert never
 * has an `endsAt` (Alertmanager sends a future one that means nothing yet).
 *
 * @example
 * ```ts
 * alertTimes('firing', context.receivedAt, { startsAt: parseTimestamp(alert.startsAt) });
 * ```
 */
export function alertTimes(status: AlertStatus, receivedAt: Date, known: KnownTimes): AlertTimes {
  const startsAt = known.startsAt ?? known.eventAt ?? receivedAt;
  if (status !== 'resolved') return { startsAt };
  return { startsAt, endsAt: known.endsAt ?? known.eventAt ?? receivedAt };
}
