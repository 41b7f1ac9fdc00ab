/** The source of the current time. Injected so expiry logic can be tested without waiting. */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = Object.freeze({ now: () => new Date() });
