/**
 * What Uptime Kuma's webhook notification posts (server/notification-providers/webhook.js):
 * `{heartbeat, monitor, msg}`, where `heartbeat` and `monitor` are null for notifications that
 * are not about one check (the "Test" button, certificate and domain expiry).
 */
import { payloadError } from '@akmatori/core';

/** Uptime Kuma's heartbeat states (src/util.ts). */
export const heartbeatStates = { down: 0, up: 1, pending: 2, maintenance: 3 } as const;

/** The parts of `Heartbeat.toJSONAsync()` (plus what `sendNotification` adds) the adapter reads. */
export interface UptimeKumaHeartbeat {
  readonly monitorID?: number;
  readonly status: number;
  /** `YYYY-MM-DD HH:mm:ss.SSS` in UTC, without a zone. */
  readonly time?: string;
  readonly msg?: string;
  readonly ping?: number | null;
  readonly retries?: number;
  readonly important?: boolean;
  readonly response?: string | null;
  readonly timezone?: string;
  readonly localDateTime?: string;
  /** On an UP beat: when the monitor last went down, in the format of `time`. */
  readonly lastDownTime?: string;
}

/** A tag of a monitor, as `Monitor.preparePreloadData` shapes it. */
export interface UptimeKumaTag {
  readonly name: string;
  readonly value?: string | null;
}

/** The parts of `Monitor.toJSON()` the adapter reads. */
export interface UptimeKumaMonitor {
  readonly id: number;
  readonly name: string;
  readonly description?: string | null;
  readonly pathName?: string;
  readonly type?: string;
  readonly url?: string | null;
  readonly hostname?: string | null;
  readonly port?: number | null;
  readonly tags?: readonly UptimeKumaTag[];
}

/** One delivery of the webhook notification. */
export interface UptimeKumaPayload {
  readonly heartbeat: UptimeKumaHeartbeat | null;
  readonly monitor: UptimeKumaMonitor | null;
  readonly msg: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of a body; throws `payloadError` naming the first field that is wrong.
 *
 * @example
 * ```ts
 * const payload = readPayload({ heartbeat: null, monitor: null, msg: 'Kuma Testing' });
 * ```
 */
export function readPayload(body: unknown): UptimeKumaPayload {
  if (!isRecord(body)) throw payloadError('the body must be a JSON object');
  const { heartbeat, monitor, msg } = body;
  if (typeof msg !== 'string' || msg.trim() === '')
    throw payloadError('msg must be a non-empty string (is this an Uptime Kuma webhook?)');
  if (heartbeat !== null && heartbeat !== undefined) {
    if (!isRecord(heartbeat) || typeof heartbeat.status !== 'number')
      throw payloadError('heartbeat.status must be a number');
    if (!Object.values(heartbeatStates).includes(heartbeat.status as 0))
      throw payloadError(`heartbeat.status ${heartbeat.status} is not an Uptime Kuma state`);
  }
  if (monitor !== null && monitor !== undefined) {
    if (!isRecord(monitor) || typeof monitor.id !== 'number' || typeof monitor.name !== 'string')
      throw payloadError('monitor must have a numeric id and a name');
    if (monitor.tags !== undefined && !Array.isArray(monitor.tags))
      throw payloadError('monitor.tags must be an array');
  }
  return {
    heartbeat: (heartbeat ?? null) as UptimeKumaHeartbeat | null,
    monitor: (monitor ?? null) as UptimeKumaMonitor | null,
    msg,
  };
}

/** Reads Uptime Kuma's `YYYY-MM-DD HH:mm:ss[.SSS]` (UTC) times; undefined when it is not one. */
export function kumaTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)Z?$/.exec(value.trim());
  if (match === null) return undefined;
  const date = new Date(`${match[1]}T${match[2]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
