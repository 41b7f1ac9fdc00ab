/**
 * What Uptime Kuma's webhook notification posts (server/notification-providers/webhook.js):
 * `{heartbeat, monitor, msg}`, where `heartbeat` and `monitor` are null for notifications that
 * are not about one check (the "Test" button, certificate and domain expiry).
 */
import { payloadError } from '@akmatori/core';
/** Uptime Kuma's heartbeat states (src/util.ts). */
export const heartbeatStates = { down: 0, up: 1, pending: 2, maintenance: 3 };
const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/**
 * Checks the shape of a body; throws `payloadError` naming the first field that is wrong.
 *
 * @example
 * ```ts
 * const payload = readPayload({ heartbeat: null, monitor: null, msg: 'Kuma Testing' });
 * ```
 */
export function readPayload(body) {
    if (!isRecord(body))
        throw payloadError('the body must be a JSON object');
    const { heartbeat, monitor, msg } = body;
    if (typeof msg !== 'string' || msg.trim() === '')
        throw payloadError('msg must be a non-empty string (is this an Uptime Kuma webhook?)');
    if (heartbeat !== null && heartbeat !== undefined) {
        if (!isRecord(heartbeat) || typeof heartbeat.status !== 'number')
            throw payloadError('heartbeat.status must be a number');
        if (!Object.values(heartbeatStates).includes(heartbeat.status))
            throw payloadError(`heartbeat.status ${heartbeat.status} is not an Uptime Kuma state`);
    }
    if (monitor !== null && monitor !== undefined) {
        if (!isRecord(monitor) || typeof monitor.id !== 'number' || typeof monitor.name !== 'string')
            throw payloadError('monitor must have a numeric id and a name');
        if (monitor.tags !== undefined && !Array.isArray(monitor.tags))
            throw payloadError('monitor.tags must be an array');
    }
    return {
        heartbeat: (heartbeat ?? null),
        monitor: (monitor ?? null),
        msg,
    };
}
/** Reads Uptime Kuma's `YYYY-MM-DD HH:mm:ss[.SSS]` (UTC) times; undefined when it is not one. */
export function kumaTime(value) {
    if (typeof value !== 'string')
        return undefined;
    const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)Z?$/.exec(value.trim());
    if (match === null)
        return undefined;
    const date = new Date(`${match[1]}T${match[2]}Z`);
    return Number.isNaN(date.getTime()) ? undefined : date;
}
//# sourceMappingURL=payload.js.map