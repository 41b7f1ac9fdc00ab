import type { Database } from '@akmatori/host';
import { createTestHost, type TestHost } from '@akmatori/host/testing';
import { slackSignature, startFakeSlack, type FakeSlack } from '@akmatori/notifier-slack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '@akmatori/test-support/databases';
import { AppTokens, resolve } from '../src/container.js';
import { createApp, type AkmatoriApp } from '../src/index.js';
import type { SlackConnection } from '../src/slack/slack-connection.js';
import { bearer } from './helpers.js';
import { eventually } from './support/eventually.js';
import { loginAs } from './support/event-subscriber.js';

// Two API replicas on one PostgreSQL database, each with its own Slack connection. A change of
// the Slack settings made through A reaches B without a restart: B compares what is stored with
// what it applied every 15 s (the first case waits for that timer; the others call recheck()).

interface Replica {
  readonly host: TestHost;
  readonly slack: SlackConnection;
  readonly admin: Record<string, string>;
}

const adminPassword = 'slack-replicas-admin';
let database: Database;
let fake: FakeSlack;
let a: Replica;
let b: Replica;

async function boot(): Promise<Replica> {
  const made: { app?: AkmatoriApp } = {};
  const host = await createTestHost({
    database,
    // One database, so one secret key: the Slack tokens are sealed with it.
    config: { adminPassword, secretKey: Buffer.alloc(32, 9).toString('base64') },
    app: async (options) => (made.app = await createApp(options)),
  });
  const app = made.app as AkmatoriApp;
  return {
    host,
    slack: resolve(app.container, AppTokens.Slack),
    admin: bearer(await loginAs(host, { username: 'admin', password: adminPassword })),
  };
}

const putSettings = async (replica: Replica, payload: Record<string, unknown>): Promise<void> => {
  const response = await replica.host.inject({
    method: 'PUT',
    url: '/api/settings/slack',
    headers: replica.admin,
    payload,
  });
  expect(response.statusCode, response.body).toBe(200);
};

const testMessage = (replica: Replica) =>
  replica.host.inject({ method: 'POST', url: '/api/settings/slack/test', headers: replica.admin });

/** A signed `/akmatori help` posted to the replica's `/slack/events`. */
function signedHelp(replica: Replica, secret: string) {
  const body = new URLSearchParams({
    command: '/akmatori',
    text: 'help',
    user_id: 'U0NOBODY',
    channel_id: 'C0ALERTS',
    team_id: 'T0AKMATORI',
    api_app_id: 'A0AKMATORI',
  }).toString();
  const at = Math.floor(Date.now() / 1000);
  return replica.host.inject({
    method: 'POST',
    url: '/slack/events',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(at),
      'x-slack-signature': slackSignature(secret, at, body),
    },
    payload: body,
  });
}

beforeAll(async () => {
  fake = await startFakeSlack();
  database = await openTestDatabase('postgres');
  a = await boot();
  b = await boot();
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.host.close(), b?.host.close()]);
  await database?.close();
  await fake?.close();
});

describe('Slack settings changed on one replica', () => {
  it('enabling Slack on A connects B too, by its periodic check, without a restart', async () => {
    await putSettings(a, {
      enabled: true,
      mode: 'socket',
      bot_token: fake.botToken,
      app_token: fake.appToken,
      alerts_channel: 'C0ALERTS',
      api_url: fake.apiUrl,
    });
    await eventually(() => expect(fake.socketConnections, 'A and B connected').toBe(2), 40_000);
    const viaB = await testMessage(b);
    expect(viaB.statusCode, viaB.body).toBe(200);
    expect(viaB.json()).toMatchObject({ channel: 'C0ALERTS' });
  }, 60_000);

  it('an unchanged setting does not reconnect', async () => {
    const opened = fake.calls.filter((call) => call.method === 'apps.connections.open').length;
    expect(await b.slack.recheck()).toBe(false);
    expect(await a.slack.recheck(), 'A applied its own change already').toBe(false);
    expect(fake.calls.filter((call) => call.method === 'apps.connections.open')).toHaveLength(
      opened,
    );
  });

  it('a new alerts channel set on A is used by B after its check', async () => {
    await putSettings(a, { enabled: true, alerts_channel: 'C0OTHER' });
    expect(await b.slack.recheck()).toBe(true);
    const viaB = await testMessage(b);
    expect(viaB.json()).toMatchObject({ channel: 'C0OTHER' });
    await eventually(() => expect(fake.socketConnections).toBe(2));
  });

  it('switching to HTTP mode on A makes B verify and serve /slack/events with the new secret', async () => {
    const secret = 'replicas-signing-secret';
    expect((await signedHelp(b, secret)).statusCode, 'B is in Socket Mode: no HTTP endpoint').toBe(
      404,
    );
    await putSettings(a, { enabled: true, mode: 'http', signing_secret: secret });
    expect(await b.slack.recheck()).toBe(true);
    expect((await signedHelp(b, secret)).statusCode).toBe(200);
    expect((await signedHelp(b, 'the-old-or-a-wrong-secret')).statusCode).toBe(401);
    await eventually(() => expect(fake.socketConnections, 'both left Socket Mode').toBe(0));
  });

  it('disabling Slack on A stops it on B', async () => {
    await putSettings(a, { enabled: false });
    expect(await b.slack.recheck()).toBe(true);
    expect((await signedHelp(b, 'replicas-signing-secret')).statusCode).toBe(404);
    const viaB = await testMessage(b);
    expect(viaB.statusCode).toBe(409);
    expect(viaB.json()).toMatchObject({ code: 'AKM_SLACK_NOT_CONFIGURED' });
  });
});
