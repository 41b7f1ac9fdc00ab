import type { TestHost } from '@akmatori/host/testing';
import { slackSignature, startFakeSlack, type FakeSlack } from '@akmatori/notifier-slack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';
import { controlledRunnerPlugin } from './support/controlled-runner.js';
import { eventually } from './support/eventually.js';
import { testAdapterPlugin } from './support/test-plugin.js';

// The real app with the real Bolt against the fake Slack: Socket Mode first, then the same app
// switched to HTTP mode without a restart. The runner is the controlled one (it completes with
// "Report <n> for <title>"); the end-to-end run with codex is in slack-e2e.test.ts.

const rita = { id: 'U0RITA', name: 'rita', email: 'Rita@Example.com' };
const victor = { id: 'U0VICTOR', name: 'victor', email: 'victor@example.com' };
const stranger = { id: 'U0STRANGER', name: 'stranger', email: 'nobody@example.com' };
/** A Slack user whose profile shows no e-mail address: linked by an admin instead. */
const sam = { id: 'U0SAM', name: 'sam' };

let slack: FakeSlack;
let host: TestHost;
let admin: Record<string, string>;
let logs: () => string;
const responses: string[] = [];

async function api(method: string, url: string, payload?: unknown, headers = admin) {
  const response = await host.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  responses.push(response.body);
  return response;
}

beforeAll(async () => {
  slack = await startFakeSlack({
    users: [rita, victor, stranger, sam],
    channels: { C0ALERTS: 'alerts', C0OTHER: 'general', C0DATABASE: 'database-oncall' },
  });
  const captured = capturedLogger();
  logs = captured.text;
  host = await startApp({
    plugins: [testAdapterPlugin(), controlledRunnerPlugin()],
    runner: 'controlled',
    log: captured.log,
  });
  admin = bearer(await setUpAdmin(host));
  for (const [user, role] of [
    [rita, 'responder'],
    [victor, 'viewer'],
  ] as const) {
    const created = await api('POST', '/api/users', {
      username: user.name,
      password: 'a long enough password',
      role,
      email: user.email.toLowerCase(),
    });
    expect(created.statusCode, created.body).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await host?.close();
  await slack?.close();
});

const rootMessages = (channel = 'C0ALERTS') =>
  slack.messages(channel).filter((m) => m.threadTs === undefined && m.text.startsWith('['));

describe('Slack settings', () => {
  it('start disabled, with no secret set', async () => {
    const response = await api('GET', '/api/settings/slack');
    expect(response.json()).toEqual({
      enabled: false,
      mode: 'socket',
      alerts_channel: null,
      api_url: 'https://slack.com/api/',
      bot_token: null,
      app_token: null,
      signing_secret: null,
    });
  });

  it('enabling Socket Mode needs the app token', async () => {
    const response = await api('PUT', '/api/settings/slack', {
      enabled: true,
      bot_token: slack.botToken,
      api_url: slack.apiUrl,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AKM_VALIDATION' });
  });

  it('are stored with the secrets write-only, and Bolt connects at once over Socket Mode', async () => {
    const response = await api('PUT', '/api/settings/slack', {
      enabled: true,
      mode: 'socket',
      bot_token: slack.botToken,
      app_token: slack.appToken,
      alerts_channel: 'C0ALERTS',
      api_url: slack.apiUrl,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      enabled: true,
      bot_token: { set: true },
      app_token: { set: true },
      signing_secret: null,
      api_url: slack.apiUrl,
    });
    await eventually(() => expect(slack.socketConnections).toBe(1));
  });

  it('changing api_url without entering the tokens again is refused', async () => {
    const response = await api('PUT', '/api/settings/slack', {
      enabled: true,
      api_url: 'https://attacker.example/api/',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AKM_SECRET_DESTINATION_CHANGED' });
  });

  it("the test posts to the alerts channel, and answers with Slack's error when it fails", async () => {
    const ok = await api('POST', '/api/settings/slack/test');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(slack.messages('C0ALERTS').at(-1)?.text).toContain('Akmatori is connected');
    await api('PUT', '/api/settings/slack', { enabled: true, alerts_channel: 'C0MISSING' });
    const failed = await api('POST', '/api/settings/slack/test');
    expect(failed.statusCode).toBe(502);
    expect(failed.json()).toMatchObject({
      code: 'AKM_SLACK_ERROR',
      details: { slack_error: 'channel_not_found' },
    });
    await api('PUT', '/api/settings/slack', { enabled: true, alerts_channel: 'C0ALERTS' });
    await eventually(() => expect(slack.socketConnections).toBe(1));
  });

  it('a viewer cannot read them', async () => {
    const login = await api(
      'POST',
      '/auth/login',
      { username: 'victor', password: 'a long enough password' },
      {},
    );
    const response = await api(
      'GET',
      '/api/settings/slack',
      undefined,
      bearer(login.json<{ token: string }>().token),
    );
    expect(response.statusCode).toBe(403);
  });
});

describe('an incident in Slack (Socket Mode)', () => {
  let incident: string;
  let root: { channel: string; ts: string };

  it('an alert opens one root message that ends showing the completed investigation, with the report in its thread', async () => {
    const source = await api('POST', '/api/alert-sources', {
      source_type_name: 'test-json',
      name: 'disk',
      allow_unauthenticated: true,
      grouping_window_seconds: 0,
    });
    expect(source.statusCode, source.body).toBe(201);
    const sent = await api(
      'POST',
      `/webhook/alert/${source.json<{ uuid: string }>().uuid}`,
      {
        alerts: [{ id: 'a', name: 'DiskFull', group: 'g', severity: 'critical' }],
      },
      {},
    );
    expect(sent.statusCode, sent.body).toBe(202);
    const message = await eventually(() => {
      const [only] = rootMessages();
      expect(only?.text).toContain('completed');
      return only!;
    }, 30_000);
    expect(rootMessages()).toHaveLength(1);
    root = { channel: message.channel, ts: message.ts };
    incident = /incident `([0-9a-f-]{36})`/.exec(JSON.stringify(message.blocks))![1]!;
    expect(message.edits).toBeLessThanOrEqual(8);
    const thread = await eventually(() => {
      const replies = slack.thread(root.channel, root.ts).map((m) => m.text);
      expect(replies.some((text) => text.startsWith('Report: Report 1 for'))).toBe(true);
      return replies;
    });
    expect(thread[0]).toContain('Investigation started');
    const actions = JSON.stringify(message.blocks);
    expect(actions).toContain('akm_acknowledge');
    expect(actions).toContain('akm_reinvestigate');
  });

  it('Acknowledge is acknowledged at once, acts as the linked user and lands in the message and the audit', async () => {
    const delivery = await slack.clickButton({
      user: rita.id,
      channel: root.channel,
      messageTs: root.ts,
      actionId: 'akm_acknowledge',
      value: incident,
    });
    expect(delivery.afterMs).toBeLessThan(3000);
    await eventually(async () => {
      const view = await api('GET', `/api/incidents/${incident}`);
      expect(view.json()).toMatchObject({
        state: 'acknowledged',
        acknowledged_by: { name: 'rita' },
      });
    });
    await eventually(
      () =>
        expect(JSON.stringify(slack.messages().find((m) => m.ts === root.ts)?.blocks)).toContain(
          'acknowledged by rita',
        ),
      15_000,
    );
    const audit = await api('GET', '/api/audit');
    expect(
      audit.json<{
        data: { action: string; actor_name: string; target: Record<string, unknown> }[];
      }>().data,
    ).toContainEqual(
      expect.objectContaining({
        action: 'SLACK acknowledge',
        actor_name: 'rita',
        target: { incident, slack_user: rita.id },
      }),
    );
  });

  it('a user without the role, or not linked, is refused privately and nothing changes', async () => {
    await slack.clickButton({
      user: victor.id,
      channel: root.channel,
      messageTs: root.ts,
      actionId: 'akm_resolve',
      value: incident,
    });
    await slack.clickButton({
      user: stranger.id,
      channel: root.channel,
      messageTs: root.ts,
      actionId: 'akm_resolve',
      value: incident,
    });
    await eventually(() => {
      expect(slack.ephemerals(victor.id).at(-1)?.text).toContain('needs the responder role');
      expect(slack.ephemerals(stranger.id).at(-1)?.text).toContain('No Akmatori user');
    });
    const view = await api('GET', `/api/incidents/${incident}`);
    expect(view.json()).toMatchObject({ state: 'acknowledged' });
  });

  it('/akmatori status answers privately with the open incidents', async () => {
    await slack.runCommand({ user: rita.id, channel: 'C0ALERTS', text: 'status' });
    await eventually(() =>
      expect(slack.ephemerals(rita.id).at(-1)?.text).toMatch(/open incident.*\n.*DiskFull/s),
    );
  });

  it('a Slack user an admin linked by member id acts as that Akmatori user, without an e-mail match', async () => {
    const created = await api('POST', '/api/users', {
      username: 'sam',
      password: 'a long enough password',
      role: 'responder',
      slack_user_id: 'not-a-member-id',
    });
    expect(created.statusCode, 'a malformed member id').toBe(400);
    const made = await api('POST', '/api/users', {
      username: 'sam',
      password: 'a long enough password',
      role: 'responder',
    });
    expect(made.json()).toMatchObject({ slack_user_id: null, email: null });
    const samId = made.json<{ id: string }>().id;
    await slack.runCommand({ user: sam.id, channel: 'C0ALERTS', text: 'status' });
    await eventually(() =>
      expect(slack.ephemerals(sam.id).at(-1)?.text).toContain('cannot see your e-mail address'),
    );

    const linked = await api('PATCH', `/api/users/${samId}`, { slack_user_id: sam.id });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ username: 'sam', slack_user_id: sam.id });
    await slack.runCommand({ user: sam.id, channel: 'C0ALERTS', text: 'status' });
    await eventually(() =>
      expect(slack.ephemerals(sam.id).at(-1)?.text).toMatch(/open incident.*DiskFull/s),
    );
    const audit = await api('GET', '/api/audit');
    expect(
      audit.json<{ data: { action: string; actor_name: string; target: unknown }[] }>().data,
    ).toContainEqual(
      expect.objectContaining({
        action: 'SLACK status',
        actor_name: 'sam',
        target: { slack_user: sam.id },
      }),
    );

    const users = await api('GET', '/api/users');
    const ritaId = users
      .json<{ data: { id: string; username: string }[] }>()
      .data.find((user) => user.username === 'rita')!.id;
    const taken = await api('PATCH', `/api/users/${ritaId}`, { slack_user_id: sam.id });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'AKM_SLACK_USER_TAKEN' });

    const unlinked = await api('PATCH', `/api/users/${samId}`, { slack_user_id: null });
    expect(unlinked.json()).toMatchObject({ slack_user_id: null });
    const before = slack.ephemerals(sam.id).length;
    await slack.runCommand({ user: sam.id, channel: 'C0ALERTS', text: 'status' });
    await eventually(() =>
      expect(slack.ephemerals(sam.id).slice(before).at(-1)?.text).toContain(
        'cannot see your e-mail address',
      ),
    );
  });

  it('@akmatori outside a thread starts an investigation with its own message, once even when Slack retries the event', async () => {
    const event = {
      type: 'app_mention',
      user: rita.id,
      channel: 'C0OTHER',
      text: '<@U0AKMBOT> Look at the login errors',
      ts: '1700000001.000001',
    };
    await slack.sendEvent(event, { eventId: 'EvRETRIED1' });
    await slack.sendEvent(event, { eventId: 'EvRETRIED1', retryNum: 1 });
    await eventually(
      () =>
        expect(rootMessages('C0OTHER').map((m) => m.text)).toEqual([
          expect.stringContaining('Look at the login errors'),
        ]),
      20_000,
    );
    const list = await api('GET', '/api/incidents');
    expect(
      list
        .json<{ data: { title: string }[] }>()
        .data.filter((i) => i.title === 'Look at the login errors'),
    ).toHaveLength(1);
  });
});

describe("an alert source's own channel", () => {
  it('slack_channel is validated, returned, and sends its incidents there instead of alerts_channel', async () => {
    const refused = await api('POST', '/api/alert-sources', {
      source_type_name: 'test-json',
      name: 'db-by-name',
      allow_unauthenticated: true,
      slack_channel: '#database-oncall',
    });
    expect(refused.statusCode, 'a channel name instead of an id').toBe(400);
    expect(refused.json()).toMatchObject({ code: 'AKM_VALIDATION' });

    const created = await api('POST', '/api/alert-sources', {
      source_type_name: 'test-json',
      name: 'database',
      allow_unauthenticated: true,
      grouping_window_seconds: 0,
      slack_channel: 'C0DATABASE',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { uuid } = created.json<{ uuid: string }>();
    expect(created.json()).toMatchObject({ slack_channel: 'C0DATABASE' });
    expect((await api('GET', `/api/alert-sources/${uuid}`)).json()).toMatchObject({
      slack_channel: 'C0DATABASE',
    });
    const sent = await api(
      'POST',
      `/webhook/alert/${uuid}`,
      { alerts: [{ id: 'r', name: 'ReplicationLag', group: 'db', severity: 'warning' }] },
      {},
    );
    expect(sent.statusCode, sent.body).toBe(202);
    await eventually(
      () =>
        expect(rootMessages('C0DATABASE').map((m) => m.text)).toEqual([
          expect.stringContaining('ReplicationLag'),
        ]),
      20_000,
    );
    expect(rootMessages().some((m) => m.text.includes('ReplicationLag'))).toBe(false);

    const kept = await api('PUT', `/api/alert-sources/${uuid}`, { name: 'database-primary' });
    expect(kept.json(), 'a change that leaves it out keeps it').toMatchObject({
      slack_channel: 'C0DATABASE',
    });
    const cleared = await api('PUT', `/api/alert-sources/${uuid}`, { slack_channel: null });
    expect(cleared.json(), 'null goes back to alerts_channel').toMatchObject({
      slack_channel: null,
    });
    const listed = await api('GET', '/api/alert-sources');
    expect(
      listed.json<{ data: { uuid: string; slack_channel: string | null }[] }>().data,
    ).toContainEqual(expect.objectContaining({ uuid, slack_channel: null }));
  });

  it('alerts_channel must be a channel id too', async () => {
    const response = await api('PUT', '/api/settings/slack', {
      enabled: true,
      alerts_channel: '#alerts',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AKM_VALIDATION' });
  });
});

describe('HTTP mode', () => {
  const secret = 'http-mode-signing-secret';

  const signed = (
    body: string,
    contentType: string,
    at = Math.floor(Date.now() / 1000),
    key = secret,
  ) =>
    host.inject({
      method: 'POST',
      url: '/slack/events',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(at),
        'x-slack-signature': slackSignature(key, at, body),
      },
      payload: body,
    });

  it('switches over without a restart; a bad or stale signature gets 401, a good one is handled', async () => {
    const response = await api('PUT', '/api/settings/slack', {
      enabled: true,
      mode: 'http',
      signing_secret: secret,
    });
    expect(response.statusCode, response.body).toBe(200);
    await eventually(() => expect(slack.socketConnections).toBe(0));
    const command = new URLSearchParams({
      command: '/akmatori',
      text: 'help',
      user_id: rita.id,
      channel_id: 'C0ALERTS',
      team_id: 'T0AKMATORI',
      api_app_id: 'A0AKMATORI',
    }).toString();
    const form = 'application/x-www-form-urlencoded';
    expect((await signed(command, form, undefined, 'not-the-secret')).statusCode).toBe(401);
    expect((await signed(command, form, Math.floor(Date.now() / 1000) - 400)).statusCode).toBe(401);
    const unsigned = await host.inject({
      method: 'POST',
      url: '/slack/events',
      headers: { 'content-type': form },
      payload: command,
    });
    expect(unsigned.statusCode).toBe(401);
    const before = slack.ephemerals(rita.id).length;
    const ok = await signed(command, form);
    expect(ok.statusCode).toBe(200);
    await eventually(() =>
      expect(slack.ephemerals(rita.id).slice(before).at(-1)?.text).toContain('/akmatori status'),
    );
  });

  it('answers url_verification with its challenge', async () => {
    const response = await signed(
      JSON.stringify({ type: 'url_verification', challenge: 'c-123' }),
      'application/json',
    );
    expect(response.json()).toEqual({ challenge: 'c-123' });
  });
});

describe('secrets', () => {
  it('no token or signing secret appears in any response or log line', async () => {
    await host.inject({ method: 'GET', url: '/api/settings/slack', headers: admin });
    const everything = responses.join('\n') + logs();
    for (const secret of [slack.botToken, slack.appToken, 'http-mode-signing-secret'])
      expect(everything.includes(secret), `found ${secret.slice(0, 8)}…`).toBe(false);
  });
});
