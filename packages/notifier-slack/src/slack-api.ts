/** The few Slack Web API calls Akmatori makes, as a function of method and arguments. */
export interface SlackApi {
  /** Calls a Web API method; resolves with Slack's answer, throws {@link SlackApiError}. */
  call(method: string, args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
}

/**
 * A Web API call that failed: Slack's `error` code (`channel_not_found`, `ratelimited`, …),
 * and for a `429` the seconds Slack asked to wait (`Retry-After`).
 */
export class SlackApiError extends Error {
  /** Slack's error code, or `request_failed` when Slack could not be reached. */
  readonly error: string;
  /** For a rate-limited call, how long to wait before the next one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(error: string, retryAfterSeconds?: number, options?: { cause?: unknown }) {
    super(
      retryAfterSeconds === undefined
        ? `Slack refused the call: ${error}`
        : `Slack rate limit: retry after ${retryAfterSeconds} s`,
      options,
    );
    this.name = 'SlackApiError';
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** True when retrying later may work (rate limits, Slack unreachable). */
  get transient(): boolean {
    return this.retryAfterSeconds !== undefined || this.error === 'request_failed';
  }
}
