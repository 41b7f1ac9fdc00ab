import { silentLogger } from '@akmatori/core';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelQueues, slackApiError, type SlackApi } from '../src/index.js';
import { startFakeSlack, type FakeSlack } from '../src/testing/index.js';

// The queues against the fake Slack through the real Web API client, as the app uses them:
// the client fails fast on 429 and the queue decides when to try again.

let slack: FakeSlack;
let api: SlackApi;

beforeAll(async () => {
  slack = await startFakeSlack();
  const app = new App({
    token: slack.botToken,
    signingSecret: 'unused',
    logLevel: LogLevel.ERROR,
    clientOptions: {
      slackApiUrl: slack.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    },
  });
  api = {
    call: async (method, args) => {
      try {
        return (await app.client.apiCall(method, args)) as unknown as Record<string, unknown>;
      } catch (error) {
        const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
        if (e.code === 'slack_webapi_rate_limited_error')
          throw slackApiError('ratelimited', e.retryAfter);
        throw slackApiError(e.data?.error ?? 'request_failed');
      }
    },
  };
});
afterAll(async () => slack?.close());

describe('ChannelQueues', () => {
  it('coalesces a burst of edits into few, and the last state lands', async () => {
    const queues = new ChannelQueues(() => api, {
      log: silentLogger(),
      editIntervalMs: 300,
      postGapMs: 0,
    });
    const { ts } = await queues.post('C0ALERTS', async () => ({ text: 'v0' }));
    let version = 0;
    const edits: Promise<void>[] = [];
    for (let i = 1; i <= 30; i++) {
      version = i;
      edits.push(queues.edit('C0ALERTS', String(ts), async () => ({ text: `v${version}` })));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(edits);
    const message = slack.messages('C0ALERTS').find((m) => m.ts === ts);
    expect(message?.text).toBe('v30');
    expect(message?.edits).toBeLessThanOrEqual(4);
  });

  it('a burst of 429s delays the edit but loses nothing', async () => {
    const queues = new ChannelQueues(() => api, {
      log: silentLogger(),
      editIntervalMs: 100,
      postGapMs: 0,
    });
    const { ts } = await queues.post('C0ALERTS', async () => ({ text: 'before' }));
    slack.rateLimit('chat.update', 3, 1);
    const started = Date.now();
    await queues.edit('C0ALERTS', String(ts), async () => ({ text: 'after' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(slack.messages('C0ALERTS').find((m) => m.ts === ts)?.text).toBe('after');
    expect(slack.calls.filter((c) => c.method === 'chat.update' && c.status === 429)).toHaveLength(
      3,
    );
  });

  it('a post refused by Slack rejects with its error', async () => {
    const queues = new ChannelQueues(() => api, { log: silentLogger(), postGapMs: 0 });
    await expect(queues.post('C0MISSING', async () => ({ text: 'x' }))).rejects.toMatchObject({
      code: 'AKM_SLACK_API_REFUSED',
      details: { error: 'channel_not_found', transient: false },
    });
  });
});
