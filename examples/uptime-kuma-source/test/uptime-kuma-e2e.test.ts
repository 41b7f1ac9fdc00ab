// The example loaded the way an operator loads it: the built `akmatori serve` started with
// AKMATORI_PLUGINS naming the package, Uptime Kuma's bodies POSTed to the webhook URL with the
// header Uptime Kuma sends. Needs `npx tsc -b tsconfig.build.json` first (the app and the example).
import { fixtureFolder } from '@akmatori/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAkmatori,
  type CreatedAlertSource,
  type SpawnedAkmatori,
} from '@akmatori/test-support/app/spawned-akmatori';

const SECRET = 'uptime-kuma-webhook-secret';
const fixtures = fixtureFolder(new URL('../src/fixtures/', import.meta.url));

let akmatori: SpawnedAkmatori;
let source: CreatedAlertSource;

beforeAll(async () => {
  akmatori = await startAkmatori({ AKMATORI_PLUGINS: '@akmatori-examples/uptime-kuma-source' });
  source = await akmatori.createSource({
    source_type_name: 'uptime-kuma',
    name: 'Uptime Kuma',
    webhook_secret: SECRET,
    config: { kumaUrl: 'https://kuma.example.com' },
  });
}, 120_000);

afterAll(async () => {
  await akmatori?.stop();
});

/** Posts a fixture's exact bytes as Uptime Kuma does (axios, JSON preset, Additional Headers). */
function send(name: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(akmatori.webhookUrl(source), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${SECRET}`,
      'user-agent': 'Uptime-Kuma/2.5.3',
      ...headers,
    },
    body: fixtures.raw(name),
  });
}

describe('Uptime Kuma through AKMATORI_PLUGINS', () => {
  it('offers the plugin’s source type', async () => {
    const types = await akmatori.api<{ data: { name: string }[] } | { name: string }[]>(
      'GET',
      '/api/alert-source-types',
    );
    const names = (Array.isArray(types) ? types : types.data).map((type) => type.name);
    expect(names).toContain('uptime-kuma');
  });

  it('a monitor going down opens an incident; coming up resolves its alert', async () => {
    const down = await send('webhook_json_http_down.json');
    expect(down.status, await down.clone().text()).toBe(202);
    expect(await down.json()).toMatchObject({ received: 1 });
    const { incident, alerts } = await akmatori.waitForIncident(
      source,
      'an incident for the monitor that went down',
      (_incident, alerts) => alerts.some((alert) => alert.fingerprint === 'monitor:7'),
    );
    expect(incident).toMatchObject({ severity: 'high', source_type: 'uptime-kuma' });
    expect(alerts[0]).toMatchObject({
      name: 'Shop / Checkout API',
      status: 'firing',
      severity: 'high',
      source_url: 'https://kuma.example.com/dashboard/7',
      labels: { monitor_id: '7', tag_team: 'payments' },
    });

    const up = await send('webhook_json_http_up.json');
    expect(up.status, await up.clone().text()).toBe(202);
    const resolved = await akmatori.waitForIncident(
      source,
      'the same incident with its alert resolved',
      (candidate, alerts) =>
        candidate.uuid === incident.uuid &&
        alerts.some((alert) => alert.fingerprint === 'monitor:7' && alert.status === 'resolved'),
    );
    expect(resolved.incident.alerts_resolved).toBe(true);
    expect(resolved.alerts).toHaveLength(1);
  });

  it('refuses a request without the bearer secret (401) and stores nothing', async () => {
    const before = (await akmatori.incidents(`source_uuid=${source.uuid}`)).pagination.total;
    const wrong = await send('webhook_json_test_notification.json', {
      authorization: 'Bearer not-the-secret',
    });
    expect(wrong.status).toBe(401);
    expect((await akmatori.incidents(`source_uuid=${source.uuid}`)).pagination.total).toBe(before);
  });

  it('answers a body that is not Uptime Kuma’s with 400 and the adapter’s reason', async () => {
    const response = await fetch(akmatori.webhookUrl(source), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ heartbeat: null, monitor: null }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'AKM_PAYLOAD_INVALID' });
  });

  it('answers the multipart/form-data preset with 415 (the README says to use JSON)', async () => {
    const form = new FormData();
    form.append('data', fixtures.raw('webhook_json_http_down.json').toString('utf8'));
    const response = await fetch(akmatori.webhookUrl(source), {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}` },
      body: form,
    });
    expect(response.status).toBe(415);
  });

  it('answers Uptime Kuma’s GET method with 404: the webhook takes POST only', async () => {
    const url = new URL(akmatori.webhookUrl(source));
    url.searchParams.set('msg', '[Checkout API] [🔴 Down] Request failed with status code 503');
    const response = await fetch(url, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(response.status).toBe(404);
  });

  it('answers a custom body sent without a JSON Content-Type with 415, and accepts it with one', async () => {
    // axios 0.x posts a string body as application/x-www-form-urlencoded unless told otherwise.
    const body = fixtures.raw('webhook_json_test_notification.json').toString('utf8');
    const form = await send('webhook_json_test_notification.json', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    const json = await fetch(akmatori.webhookUrl(source), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body,
    });
    expect(json.status, await json.clone().text()).toBe(202);
  });

  it('the Test button opens an info incident', async () => {
    const response = await send('webhook_json_test_notification.json');
    expect(response.status, await response.clone().text()).toBe(202);
    const { incident } = await akmatori.waitForIncident(
      source,
      'the test notification’s incident',
      (_incident, alerts) => alerts.some((alert) => alert.name === 'Uptime Kuma test notification'),
    );
    expect(incident.severity).toBe('info');
  });
});
