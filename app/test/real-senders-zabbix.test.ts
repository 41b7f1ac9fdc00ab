import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { startZabbix, type RunningZabbix } from '@akmatori/test-support/peers/zabbix';
import {
  TEST_HOST,
  TEST_ITEM_KEY,
  TEST_RUNBOOK_URL,
  TEST_TRIGGER,
} from '@akmatori/test-support/peers/zabbix-alerting';
import {
  startAkmatori,
  type CreatedAlertSource,
  type SpawnedAkmatori,
} from '@akmatori/test-support/app/spawned-akmatori';

// A real Zabbix 6.0 server notifies an Akmatori zabbix source through the shipped Akmatori
// media type: problems open incidents, recoveries resolve them, a wrong secret fails the
// Zabbix action and stores nothing.

const SECRET = 'zabbix-source-secret';
const TRIGGER_NAME = TEST_TRIGGER.replace('{HOST.NAME}', TEST_HOST);

describe('Zabbix 6.0 with the Akmatori media type → Akmatori zabbix source (real zabbix_server)', () => {
  let akmatori: SpawnedAkmatori;
  let source: CreatedAlertSource;
  let zabbix: RunningZabbix;

  /** Points the media type at `url` with `secret` (its akmatori_url, akmatori_secret). */
  async function configureMediaType(url: string, secret: string): Promise<void> {
    const call = <T>(method: string, params: unknown): Promise<T> =>
      zabbix.api.call<T>(method, params, zabbix.apiToken);
    const [mediaType] = await call<{ parameters: { name: string; value: string }[] }[]>(
      'mediatype.get',
      { output: ['parameters'], mediatypeids: [zabbix.mediaTypeId] },
    );
    const settings: Record<string, string> = { akmatori_url: url, akmatori_secret: secret };
    await call('mediatype.update', {
      mediatypeid: zabbix.mediaTypeId,
      parameters: mediaType!.parameters.map((p) => ({ ...p, value: settings[p.name] ?? p.value })),
    });
  }

  beforeAll(async () => {
    akmatori = await startAkmatori();
    source = await akmatori.createSource({
      source_type_name: 'zabbix',
      name: 'zabbix 6.0',
      webhook_secret: SECRET,
    });
    zabbix = await startZabbix({
      webhookUrl: akmatori.webhookUrl(source),
      secret: SECRET,
      postgresAdminUrl: inject('postgresAdminUrl'),
    });
  }, 180_000);

  afterAll(async () => {
    await zabbix?.stop();
    await akmatori?.stop();
  });

  it('opens an incident for a Zabbix problem with its host and severity, and resolves it on recovery', async () => {
    await configureMediaType(akmatori.webhookUrl(source), SECRET);
    const fired = Date.now();
    const eventId = await zabbix.fireProblem(42);
    const firing = await akmatori.waitForIncident(
      source,
      `an incident with Zabbix problem ${eventId}`,
      (_, alerts) => alerts.some((a) => a.fingerprint === eventId),
      60_000,
    );
    expect(firing.incident).toMatchObject({
      source_type: 'zabbix',
      severity: 'high',
      alert_count: 1,
      firing_count: 1,
      alerts_resolved: false,
    });
    expect(firing.alerts).toHaveLength(1);
    expect(firing.alerts[0]).toMatchObject({
      status: 'firing',
      name: TRIGGER_NAME,
      host: TEST_HOST,
      severity: 'high',
      raw_severity: 'High',
      runbook_url: TEST_RUNBOOK_URL,
      annotations: {
        trigger_expression: `last(/${TEST_HOST}/${TEST_ITEM_KEY})>10`,
        metric_name: 'Queue depth',
        metric_value: '42',
      },
      ends_at: null,
    });
    // Zabbix sends {EVENT.DATE} {EVENT.TIME} in the server's local time zone, which Akmatori
    // reads as UTC: this holds when the Zabbix server runs in UTC, as it does here.
    const startsAt = Date.parse(firing.alerts[0]?.starts_at ?? '');
    expect(
      Math.abs(startsAt - fired) < 60_000,
      `starts_at ${firing.alerts[0]?.starts_at} should be when the problem fired, about ${new Date(fired).toISOString()}`,
    ).toBe(true);

    await zabbix.resolveProblem();
    const resolved = await akmatori.waitForIncident(
      source,
      'the incident to show its alerts resolved',
      (incident) => incident.uuid === firing.incident.uuid && incident.alerts_resolved,
      60_000,
    );
    expect(resolved.incident.firing_count).toBe(0);
    expect(resolved.alerts.map((a) => [a.fingerprint, a.status])).toEqual([[eventId, 'resolved']]);
    expect(resolved.alerts[0]?.ends_at, 'a resolved alert has an end time').not.toBeNull();
  }, 120_000);

  it('fails the Zabbix action with HTTP 401 when the secret is wrong, and stores nothing', async () => {
    const other = await akmatori.createSource({
      source_type_name: 'zabbix',
      name: 'zabbix with another secret',
      webhook_secret: 'the-secret-zabbix-does-not-know',
    });
    const before = (await akmatori.incidents()).pagination.total;
    await configureMediaType(akmatori.webhookUrl(other), 'a-wrong-zabbix-secret');
    const eventId = await zabbix.fireProblem(77);

    const error = await pollUntil(
      `the failed notification of event ${eventId} in Zabbix's alert.get`,
      async () => {
        const alerts = await zabbix.api.call<{ error: string }[]>(
          'alert.get',
          { output: ['error', 'status'], eventids: [eventId] },
          zabbix.apiToken,
        );
        return alerts.find((alert) => alert.error !== '')?.error;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(error).toContain('Akmatori answered HTTP 401');
    expect((await akmatori.incidents(`source_uuid=${other.uuid}`)).pagination.total).toBe(0);
    expect((await akmatori.incidents()).pagination.total).toBe(before);
  }, 120_000);
});
