import { defineErrorCatalog, isAkmatoriError, type AkmatoriError } from '@akmatori/core';

/** The few Slack Web API calls Akmatori makes, as a function of method and arguments. */
export interface SlackApi {
  /** Calls a Web API method; resolves with Slack's answer, throws one of {@link SlackErrors}. */
  call(method: string, args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
}

/**
 * Every error the Slack notifier raises: a Web API call that failed. `details` is a
 * {@link SlackFailure} (Slack's own `error` code, and for a `429` the seconds to wait).
 */
export const SlackErrors = defineErrorCatalog({
  AKM_SLACK_API_REFUSED: {
    status: 502,
    message: (p: { error: string }) => `Slack refused the call: ${p.error}`,
  },
  AKM_SLACK_RATE_LIMITED: {
    status: 429,
    message: (p: { retryAfterSeconds: number }) =>
      `Slack rate limit: retry after ${p.retryAfterSeconds} s`,
  },
});

/** Why a Web API call failed, as the `details` of {@link SlackErrors}. */
export interface SlackFailure {
  /** Slack's error code (`channel_not_found`, `ratelimited`, …), or `request_failed` when Slack could not be reached. */
  readonly error: string;
  /** For a rate-limited call, how long to wait before the next one. */
  readonly retryAfterSeconds: number | undefined;
  /** True when retrying later may work (rate limits, Slack unreachable). */
  readonly transient: boolean;
}

/**
 * The error a failed Web API call throws: `AKM_SLACK_RATE_LIMITED` when Slack asked to wait,
 * else `AKM_SLACK_API_REFUSED` with Slack's error code.
 *
 * @example
 * ```ts
 * throw slackApiError('channel_not_found');
 * throw slackApiError('ratelimited', 30);
 * ```
 */
export function slackApiError(
  error: string,
  retryAfterSeconds?: number,
  options: { cause?: unknown } = {},
): AkmatoriError {
  const details: SlackFailure = {
    error,
    retryAfterSeconds,
    transient: retryAfterSeconds !== undefined || error === 'request_failed',
  };
  return retryAfterSeconds === undefined
    ? SlackErrors.AKM_SLACK_API_REFUSED({ error }, { ...options, details })
    : SlackErrors.AKM_SLACK_RATE_LIMITED({ retryAfterSeconds }, { ...options, details });
}

/**
 * What a failed Web API call said, when `error` is one of {@link SlackErrors}.
 *
 * @example
 * ```ts
 * const code = slackFailureOf(error)?.error ?? 'request_failed';
 * ```
 */
export function slackFailureOf(error: unknown): SlackFailure | undefined {
  const slack =
    isAkmatoriError(error, SlackErrors.AKM_SLACK_API_REFUSED) ||
    isAkmatoriError(error, SlackErrors.AKM_SLACK_RATE_LIMITED);
  return slack ? ((error as AkmatoriError).details as SlackFailure) : undefined;
}
