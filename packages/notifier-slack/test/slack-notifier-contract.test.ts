import { silentLogger } from '@akmatori/core';
import { checkNotifierContract } from '@akmatori/core/testing';
import { describe, expect, it } from 'vitest';
import { SlackIncidentNotifier } from '../src/slack-notifier.js';

describe('the Slack notifier', () => {
  it('passes the notifier contract (the plugin host registers it)', () => {
    const slack = new SlackIncidentNotifier({
      source: {} as never,
      store: {} as never,
      queues: {} as never,
      enabled: () => false,
      log: silentLogger(),
    });
    expect(slack.notifier.id).toBe('slack');
    expect(checkNotifierContract(slack.notifier)).toEqual([]);
  });
});
