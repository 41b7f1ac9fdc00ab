import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature, startFakeSlack, type FakeSlack } from '../src/testing/index.js';

const { WebClient } = webApi;

// The fake Slack is only useful if the real Bolt and Web API client accept it as Slack.

const ann = { id: 'U0ANN', name: 'ann', email: 'ann@example.com' };

describe('the fake Slack with the real Bolt in Socket Mode', () => {
  let slack: FakeSlack;
  let app: App;
  const mentions: string[] = [];
  const clicks: string[] = [];
  const commands: string[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack({ users: [ann] });
    app = new App({
      token: slack.botToken,
      appToken: slack.appToken,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl },
    });
    app.event('app_mention', async ({ event }) => {
      mentions.push(event.text);
    });
    app.action('press', async ({ ack, action }) => {
      await ack();
      clicks.push((action as { value?: string }).value ?? '');
    });
    app.command('/akmatori', async ({ ack, command }) => {
      await ack({ response_type: 'ephemeral', text: `got ${command.text}` });
      commands.push(command.text);
    });
    await app.start();
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
  });

  it('Bolt calls auth.test with the bot token and opens the socket with the app token', () => {
    expect(slack.calls.map((call) => [call.method, call.token])).toEqual(
      expect.arrayContaining([
        ['auth.test', slack.botToken],
        ['apps.connections.open', slack.appToken],
      ]),
    );
    expect(slack.socketConnections).toBe(1);
  });

  it('an event envelope is acknowledged and reaches the listener', async () => {
    const delivery = await slack.sendEvent({
      type: 'app_mention',
      user: ann.id,
      channel: 'C0ALERTS',
      text: '<@U0AKMBOT> hello',
      ts: '1700000000.000100',
    });
    expect(delivery.status).toBe(200);
    await expect.poll(() => mentions).toEqual(['<@U0AKMBOT> hello']);
  });

  it('a button click and a slash command are acknowledged, the command with its answer', async () => {
    const { ts } = await app.client.chat.postMessage({
      channel: 'C0ALERTS',
      text: 'x',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'press',
              value: 'v1',
              text: { type: 'plain_text', text: 'P' },
            },
          ],
        },
      ],
    });
    await slack.clickButton({
      user: ann.id,
      channel: 'C0ALERTS',
      messageTs: ts!,
      actionId: 'press',
      value: 'v1',
    });
    await expect.poll(() => clicks).toEqual(['v1']);
    const answer = await slack.runCommand({ user: ann.id, channel: 'C0ALERTS', text: 'status' });
    expect(answer.body).toMatchObject({ text: 'got status', response_type: 'ephemeral' });
    expect(commands).toEqual(['status']);
  });
});

describe('the fake Slack Web API', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack({ users: [ann] });
  });
  afterAll(async () => slack?.close());

  it('answers like Slack: ts and channel on posts, errors as ok:false, edits in place', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const posted = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'first' });
    expect(posted).toMatchObject({ ok: true, channel: 'C0ALERTS' });
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    await client.chat.update({ channel: 'C0ALERTS', ts: posted.ts!, text: 'second' });
    expect(slack.messages('C0ALERTS')).toMatchObject([{ text: 'second', edits: 1 }]);
    await expect(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' })).rejects.toMatchObject({
      data: { ok: false, error: 'channel_not_found' },
    });
    const bad = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl });
    await expect(bad.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const found = await client.users.lookupByEmail({ email: 'ANN@example.com' });
    expect(found.user?.id).toBe(ann.id);
    const info = await client.users.info({ user: ann.id });
    expect(info.user?.profile?.email).toBe(ann.email);
  });

  it('refuses blocks beyond Slack limits', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const long = { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } };
    await expect(
      client.chat.postMessage({ channel: 'C0ALERTS', text: 't', blocks: [long] }),
    ).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    const many = Array.from({ length: 5 }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'y'.repeat(2900) },
    }));
    await expect(
      client.chat.postMessage({ channel: 'C0ALERTS', text: 't', blocks: many }),
    ).rejects.toMatchObject({
      data: { error: 'msg_blocks_too_long' },
    });
  });

  it('an injected 429 carries Retry-After, and a client that does not retry sees it', async () => {
    slack.rateLimit('chat.update', 1, 2);
    const client = new WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      rejectRateLimitedCalls: true,
    });
    const { ts } = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'a' });
    await expect(
      client.chat.update({ channel: 'C0ALERTS', ts: ts!, text: 'b' }),
    ).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 2,
    });
    await client.chat.update({ channel: 'C0ALERTS', ts: ts!, text: 'b' });
  });
});

describe('the fake Slack posting signed HTTP requests to Bolt', () => {
  let slack: FakeSlack;
  let app: App;
  let url: string;
  const mentions: string[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack({ users: [ann] });
    app = new App({
      token: slack.botToken,
      signingSecret: slack.signingSecret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl },
    });
    app.event('app_mention', async ({ event }) => {
      mentions.push(event.text);
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' } as never)) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    slack.deliverTo({ mode: 'http', url });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await slack?.close();
  });

  it('a signed event is accepted; a bad or stale signature gets 401', async () => {
    const ok = await slack.sendEvent({
      type: 'app_mention',
      user: ann.id,
      channel: 'C0ALERTS',
      text: 'hi',
    });
    expect(ok.status).toBe(200);
    await expect.poll(() => mentions).toEqual(['hi']);
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'app_mention' } });
    const now = Math.floor(Date.now() / 1000);
    const bad = await slack.postRaw(body, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(now),
      'x-slack-signature': slackSignature('wrong-secret', now, body),
    });
    expect(bad.status).toBe(401);
    const old = now - 600;
    const stale = await slack.postRaw(body, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(old),
      'x-slack-signature': slackSignature(slack.signingSecret, old, body),
    });
    expect(stale.status).toBe(401);
  });
});
