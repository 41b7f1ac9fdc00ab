import type { Logger } from '@akmatori/core';
import { slackApiError, type SlackApi } from '@akmatori/notifier-slack';
import type { LogLevel, Logger as BoltLogger, webApi } from '@slack/bolt';

/**
 * The Bolt app's Web API client as the notifier's {@link SlackApi}: a `429` fails at once
 * (the client is built with `rejectRateLimitedCalls`) with its `Retry-After`, so the
 * per-channel queue decides when to try again.
 */
export function slackApiOf(client: webApi.WebClient): SlackApi {
  return {
    call: async (method, args) => {
      try {
        return (await client.apiCall(method, args)) as unknown as Record<string, unknown>;
      } catch (error) {
        const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
        if (e.code === 'slack_webapi_rate_limited_error')
          throw slackApiError('ratelimited', e.retryAfter ?? 1, { cause: error });
        if (e.code === 'slack_webapi_platform_error')
          throw slackApiError(e.data?.error ?? 'unknown_error', undefined, { cause: error });
        throw slackApiError('request_failed', undefined, { cause: error });
      }
    },
  };
}

/** Bolt's logger interface over the app's logger (warnings and errors only reach it). */
export function boltLogger(log: Logger): BoltLogger {
  const text = (parts: unknown[]): string => parts.map(String).join(' ');
  return {
    debug: () => {},
    info: () => {},
    warn: (...parts: unknown[]) => log.warn(text(parts)),
    error: (...parts: unknown[]) => log.error(text(parts)),
    setLevel: () => {},
    getLevel: () => 'warn' as LogLevel,
    setName: () => {},
  };
}
