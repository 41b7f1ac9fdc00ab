import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Database, generateSecretKey, migrations } from '@akmatori/host';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '@akmatori/test-support/databases';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

// Authenticated senders: a source needs a secret unless the operator consents to none; each
// source has a rate limit; Grafana and PagerDuty v3 signatures are refused when stale or
// replayed, also across API replicas sharing the database.

/** One master key for the hosts that share a database, as replicas share theirs. */
const secretKey = generateSecretKey().toString('base64');
const hosts: TestHost[] = [];
const databases: Database[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  for (const database of databases.splice(0)) await database.close();
});

async function boot(
  options: Parameters<typeof startApp>[0] = {},
): Promise<{ host: TestHost; admin: Record<string, string> }> {
  const host = await startApp(options);
  hosts.push(host);
  return { host, admin: bearer(await setUpAdmin(host)) };
}

type Api = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: Record<string, unknown>,
) => Promise<{ statusCode: number; json: <T>() => T; headers: Record<string, unknown> }>;

const apiOf =
  (host: TestHost, admin: Record<string, string>): Api =>
  (method, url, payload) =>
    host.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) });

const fixture = (adapter: string, name: string): Buffer =>
  readFileSync(new URL(`../../packages/adapters/src/${adapter}/fixtures/${name}`, import.meta.url));

/** A Grafana request signed as grafana/alerting's HMAC round tripper signs it. */
function grafanaSigned(
  secret: string,
  signedAt: Date,
  body = fixture('grafana', 'grafana_docs_webhook_notifier_example_firing_2_alerts.json'),
): { headers: Record<string, string>; payload: string } {
  const timestamp = String(Math.floor(signedAt.getTime() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}:`).update(body).digest('hex');
  return {
    headers: {
      'content-type': 'application/json',
      'x-grafana-alerting-signature': signature,
      'x-grafana-alerting-timestamp': timestamp,
    },
    payload: body.toString('utf8'),
  };
}

/** A PagerDuty v3 webhook that occurred at `occurredAt`, signed as PagerDuty signs it. */
function pagerdutySigned(
  secret: string,
  occurredAt: Date,
): { headers: Record<string, string>; payload: string } {
  const event = JSON.parse(
    fixture('pagerduty', 'v3_incident_triggered_zulip.json').toString('utf8'),
  ) as { event: Record<string, unknown> };
  event.event.occurred_at = occurredAt.toISOString();
  const body = JSON.stringify(event);
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return {
    headers: {
      'content-type': 'application/json',
      'x-pagerduty-signature': `v1=${'0'.repeat(64)},v1=${signature}`,
    },
    payload: body,
  };
}

const deliver = (
  host: TestHost,
  uuid: string,
  request: { headers: Record<string, string>; payload: string },
) =>
  host.inject({
    method: 'POST',
    url: `/webhook/alert/${uuid}`,
    headers: request.headers,
    payload: request.payload,
  });

describe('a source without a webhook secret', () => {
  it('is refused unless created with allow_unauthenticated: true, which every view shows as a warning', async () => {
    const { host, admin } = await boot();
    const api = apiOf(host, admin);
    const refused = await api('POST', '/api/alert-sources', {
      source_type_name: 'alertmanager',
      name: 'open',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'AKM_SOURCE_SECRET_REQUIRED',
      message: expect.stringMatching(/webhook_secret.*allow_unauthenticated: true/),
    });
    expect((await api('GET', '/api/alert-sources')).json()).toEqual({ data: [] });

    const created = await api('POST', '/api/alert-sources', {
      source_type_name: 'alertmanager',
      name: 'open',
      allow_unauthenticated: true,
    });
    expect(created.statusCode).toBe(201);
    const expected = {
      allow_unauthenticated: true,
      unauthenticated: true,
      has_webhook_secret: false,
      warnings: [expect.stringContaining('anyone who can reach the webhook URL can send alerts')],
    };
    expect(created.json()).toMatchObject(expected);
    const { uuid } = created.json<{ uuid: string }>();
    expect((await api('GET', `/api/alert-sources/${uuid}`)).json()).toMatchObject(expected);
    expect((await api('GET', '/api/alert-sources')).json()).toMatchObject({ data: [expected] });
    const alerts = fixture('alertmanager', 'akmatori_fixture_alertmanager_firing.json');
    const anyone = await host.inject({
      method: 'POST',
      url: `/webhook/alert/${uuid}`,
      headers: { 'content-type': 'application/json' },
      payload: alerts.toString('utf8'),
    });
    expect(anyone.statusCode, anyone.body).toBe(202);
  }, 90_000);

  it('cannot be made by removing the secret without the flag; setting a secret withdraws the consent', async () => {
    const { host, admin } = await boot();
    const api = apiOf(host, admin);
    const { uuid } = (
      await api('POST', '/api/alert-sources', {
        source_type_name: 'datadog',
        name: 'dd',
        webhook_secret: 'datadog-secret-1',
      })
    ).json<{ uuid: string }>();
    const removed = await api('PUT', `/api/alert-sources/${uuid}`, { webhook_secret: null });
    expect(removed.statusCode).toBe(400);
    expect(removed.json()).toMatchObject({ code: 'AKM_SOURCE_SECRET_REQUIRED' });
    expect((await api('GET', `/api/alert-sources/${uuid}`)).json()).toMatchObject({
      has_webhook_secret: true,
    });

    const consented = await api('PUT', `/api/alert-sources/${uuid}`, {
      webhook_secret: null,
      allow_unauthenticated: true,
    });
    expect(consented.json()).toMatchObject({ unauthenticated: true, allow_unauthenticated: true });
    const secured = await api('PUT', `/api/alert-sources/${uuid}`, {
      webhook_secret: 'datadog-secret-2',
    });
    expect(secured.json()).toMatchObject({
      unauthenticated: false,
      allow_unauthenticated: false,
      warnings: [],
    });
    const again = await api('PUT', `/api/alert-sources/${uuid}`, { webhook_secret: null });
    expect(again.statusCode, 'the earlier consent does not carry over').toBe(400);
  }, 90_000);

  it('is named in a warning the server logs at start', async () => {
    const database = await openTestDatabase('embedded');
    databases.push(database);
    const { host, admin } = await boot({ database, config: { secretKey } });
    const api = apiOf(host, admin);
    await api('POST', '/api/alert-sources', {
      source_type_name: 'alertmanager',
      name: 'lab alertmanager',
      allow_unauthenticated: true,
    });
    await api('POST', '/api/alert-sources', {
      source_type_name: 'alertmanager',
      name: 'prod alertmanager',
      webhook_secret: 'prod-secret-1',
    });
    await host.close();
    hosts.splice(0);

    const { log, text } = capturedLogger();
    hosts.push(await startApp({ database, log, config: { secretKey } }));
    const warning = text()
      .split('\n')
      .filter((line) => line.includes('accepts alerts from anyone'))
      .map((line) => JSON.parse(line) as { level: number; sources: string[]; msg: string });
    expect(warning, text()).toHaveLength(1);
    expect(warning[0]?.level).toBe(40);
    expect(warning[0]?.sources).toEqual([expect.stringContaining('lab alertmanager')]);
  }, 90_000);

  it('that existed before is kept working by the migration, which records the consent', async () => {
    const database = await openTestDatabase('embedded');
    databases.push(database);
    const mine = migrations.findIndex((m) => m.name === '0013_webhook_auth');
    for (const migration of migrations.slice(0, mine)) await migration.up(database.knex);
    await database.knex('alert_sources').insert([
      { source_type: 'alertmanager', name: 'open', webhook_secret: null },
      { source_type: 'alertmanager', name: 'closed', webhook_secret: 'akm1:sealed' },
    ]);
    await migrations[mine]?.up(database.knex);
    const rows = (await database
      .knex('alert_sources')
      .select('name', 'allow_unauthenticated', 'rate_limit_per_minute')
      .orderBy('name')) as Record<string, unknown>[];
    expect(rows).toEqual([
      { name: 'closed', allow_unauthenticated: false, rate_limit_per_minute: 6000 },
      { name: 'open', allow_unauthenticated: true, rate_limit_per_minute: 6000 },
    ]);
  });
});

describe('per-source rate limits', () => {
  it('default to 6000 requests a minute, and refuse a negative limit', async () => {
    const { host, admin } = await boot();
    const api = apiOf(host, admin);
    const created = await api('POST', '/api/alert-sources', {
      source_type_name: 'zabbix',
      name: 'z',
      webhook_secret: 'zabbix-secret-1',
    });
    expect(created.json()).toMatchObject({ rate_limit_per_minute: 6000 });
    const negative = await api('POST', '/api/alert-sources', {
      source_type_name: 'zabbix',
      name: 'z',
      webhook_secret: 'zabbix-secret-1',
      rate_limit_per_minute: -1,
    });
    expect(negative.statusCode).toBe(400);
  });

  it('answer 429 with Retry-After over the limit, let requests through again as the minute passes, and do not count refused credentials', async () => {
    const { host, admin } = await boot();
    const api = apiOf(host, admin);
    const { uuid } = (
      await api('POST', '/api/alert-sources', {
        source_type_name: 'alertmanager',
        name: 'limited',
        webhook_secret: 'limited-secret-1',
        rate_limit_per_minute: 2,
      })
    ).json<{ uuid: string }>();
    const body = fixture('alertmanager', 'akmatori_fixture_alertmanager_firing.json').toString();
    const send = (secret = 'limited-secret-1') =>
      host.inject({
        method: 'POST',
        url: `/webhook/alert/${uuid}`,
        headers: { ...bearer(secret), 'content-type': 'application/json' },
        payload: body,
      });

    for (let i = 0; i < 5; i++) expect((await send('a-guess-at-the-secret')).statusCode).toBe(401);
    expect((await send()).statusCode).toBe(202);
    expect((await send()).statusCode).toBe(202);
    const limited = await send();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
    expect(limited.json()).toMatchObject({
      code: 'AKM_WEBHOOK_RATE_LIMITED',
      message: expect.stringContaining('2 requests a minute'),
      details: { retry_after_seconds: 30 },
    });

    host.clock.advance(30_000);
    expect((await send()).statusCode).toBe(202);
    expect((await send()).statusCode).toBe(429);

    await api('PUT', `/api/alert-sources/${uuid}`, { rate_limit_per_minute: 0 });
    for (let i = 0; i < 5; i++) expect((await send()).statusCode, '0 means no limit').toBe(202);
  }, 90_000);
});

describe('HMAC signatures', () => {
  const SECRET = 'signing-secret-1';

  async function signedSources(host: TestHost, admin: Record<string, string>) {
    const api = apiOf(host, admin);
    const create = async (type: string) =>
      (
        await api('POST', '/api/alert-sources', {
          source_type_name: type,
          name: type,
          webhook_secret: SECRET,
        })
      ).json<{ uuid: string }>().uuid;
    return { grafana: await create('grafana'), pagerduty: await create('pagerduty') };
  }

  it('a replayed Grafana signature is refused with 409; a new signature of the same alerts is accepted', async () => {
    const { host, admin } = await boot();
    const { grafana } = await signedSources(host, admin);
    const signed = grafanaSigned(SECRET, host.clock.now());
    const first = await deliver(host, grafana, signed);
    expect(first.statusCode, first.body).toBe(202);
    const replay = await deliver(host, grafana, signed);
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toMatchObject({ code: 'AKM_WEBHOOK_REPLAYED' });

    host.clock.advance(1000);
    expect((await deliver(host, grafana, grafanaSigned(SECRET, host.clock.now()))).statusCode).toBe(
      202,
    );
  });

  it('a Grafana signature more than 5 minutes off, either way, is refused with 401', async () => {
    const { host, admin } = await boot();
    const { grafana } = await signedSources(host, admin);
    // Grafana signs whole seconds: start on one, so the offsets below are exact.
    const now = Math.floor(host.clock.now().getTime() / 1000) * 1000;
    host.clock.set(new Date(now));
    for (const offset of [-301_000, 301_000]) {
      const stale = await deliver(host, grafana, grafanaSigned(SECRET, new Date(now + offset)));
      expect(stale.statusCode).toBe(401);
      expect(stale.json()).toMatchObject({
        code: 'AKM_WEBHOOK_SIGNATURE_STALE',
        message: expect.stringContaining('301 s off'),
      });
    }
    const edge = await deliver(host, grafana, grafanaSigned(SECRET, new Date(now - 299_000)));
    expect(edge.statusCode, 'within 5 minutes').toBe(202);
  });

  it('a Grafana signature without its timestamp is refused, saying which header is missing', async () => {
    const { host, admin } = await boot();
    const { grafana } = await signedSources(host, admin);
    const signed = grafanaSigned(SECRET, host.clock.now());
    delete signed.headers['x-grafana-alerting-timestamp'];
    const refused = await deliver(host, grafana, signed);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({
      code: 'AKM_WEBHOOK_UNAUTHORIZED',
      message: expect.stringContaining('X-Grafana-Alerting-Timestamp'),
    });
  });

  it('a replayed PagerDuty v3 signature is refused with 409', async () => {
    const { host, admin } = await boot();
    const { pagerduty } = await signedSources(host, admin);
    const signed = pagerdutySigned(SECRET, host.clock.now());
    const first = await deliver(host, pagerduty, signed);
    expect(first.statusCode, first.body).toBe(202);
    const replay = await deliver(host, pagerduty, signed);
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toMatchObject({ code: 'AKM_WEBHOOK_REPLAYED' });
  });

  it('a PagerDuty v3 webhook whose signed event.occurred_at is more than 5 minutes old is refused with 401', async () => {
    const { host, admin } = await boot();
    const { pagerduty } = await signedSources(host, admin);
    const old = new Date(host.clock.now().getTime() - 6 * 60_000);
    const stale = await deliver(host, pagerduty, pagerdutySigned(SECRET, old));
    expect(stale.statusCode).toBe(401);
    expect(stale.json()).toMatchObject({ code: 'AKM_WEBHOOK_SIGNATURE_STALE' });
  });

  it('a signature accepted by one API replica is refused by another on the same database', async () => {
    const database = await openTestDatabase('postgres');
    databases.push(database);
    const one = await boot({ database, config: { secretKey } });
    const { grafana, pagerduty } = await signedSources(one.host, one.admin);
    const other = await startApp({ database, config: { secretKey } });
    hosts.push(other);

    const grafanaRequest = grafanaSigned(SECRET, one.host.clock.now());
    const pagerdutyRequest = pagerdutySigned(SECRET, one.host.clock.now());
    expect((await deliver(one.host, grafana, grafanaRequest)).statusCode).toBe(202);
    expect((await deliver(one.host, pagerduty, pagerdutyRequest)).statusCode).toBe(202);
    expect((await deliver(other, grafana, grafanaRequest)).statusCode).toBe(409);
    expect((await deliver(other, pagerduty, pagerdutyRequest)).statusCode).toBe(409);
  }, 90_000);
});
