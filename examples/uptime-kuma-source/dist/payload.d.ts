/** Uptime Kuma's heartbeat states (src/util.ts). */
export declare const heartbeatStates: {
    readonly down: 0;
    readonly up: 1;
    readonly pending: 2;
    readonly maintenance: 3;
};
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
/**
 * Checks the shape of a body; throws `payloadError` naming the first field that is wrong.
 *
 * @example
 * ```ts
 * const payload = readPayload({ heartbeat: null, monitor: null, msg: 'Kuma Testing' });
 * ```
 */
export declare function readPayload(body: unknown): UptimeKumaPayload;
/** Reads Uptime Kuma's `YYYY-MM-DD HH:mm:ss[.SSS]` (UTC) times; undefined when it is not one. */
export declare function kumaTime(value: unknown): Date | undefined;
//# sourceMappingURL=payload.d.ts.map