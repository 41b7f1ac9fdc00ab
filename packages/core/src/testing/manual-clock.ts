import type { Clock } from '../clock.js';

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Jumps to a given time. */
  set(time: Date): void;
}

/**
 * Creates a {@link ManualClock} starting at `start` (default: the real current time).
 *
 * @example
 * ```ts
 * const clock = createManualClock();
 * clock.advance(60_000); // one minute later
 * ```
 */
export function createManualClock(start: Date = new Date()): ManualClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (time) => {
      now = time.getTime();
    },
  };
}
