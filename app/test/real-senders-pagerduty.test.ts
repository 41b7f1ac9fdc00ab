import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  type PostableAlert,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import {
  startAkmatori,
  type CreatedAlertSource,
  type SpawnedAkmatori,
} from '@akmatori/test-support/app/spawned-akmatori';

// Alertmanager's pagerduty_configs receiver, pointed at an Akmatori pagerduty source instead of
// PagerDuty, with the source's webhook secret as routing key: Events API v2 trigger and
// resolve requests open and resolve an incident.

const ROUTING_KEY = 'pagerduty-routing-key-secret';

describe('Alertmanager 0.25 pagerduty_configs → Akmatori pagerduty source (real binary)', () => {
  let akmatori: SpawnedAkmatori;
  let source: CreatedAlertSource;
  let alertmanager: RunningAlertmanager;

  beforeAll(async () => {
    akmatori = await startAkmatori();
    source = await akmatori.createSource({
      source_type_name: 'pagerduty',
      name: 'alertmanager via events api',
      webhook_secret: ROUTING_KEY,
    });
    alertmanager = await startAlertmanager({
      pagerduty: { url: akmatori.webhookUrl(source), routingKey: ROUTING_KEY },
    });
  }, 60_000);

  afterAll(async () => {
    await alertmanager?.stop();
    await akmatori?.stop();
  });

  it('opens an incident for the alert group, and resolves it when the alerts resolve', async () => {
    const alerts: PostableAlert[] = ['db-1:9100', 'db-2:9100'].map((instance) => ({
      labels: { alertname: 'DiskAlmostFull', instance, job: 'node', severity: 'critical' },
      annotations: { summary: `disk almost full on ${instance}` },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
    }));
    await alertmanager.postAlerts(alerts);

    const firing = await akmatori.waitForIncident(
      source,
      'an incident with the DiskAlmostFull group firing',
      (_, found) => found.some((a) => a.status === 'firing'),
    );
    expect(firing.incident).toMatchObject({
      source_type: 'pagerduty',
      alert_count: 1,
      firing_count: 1,
      alerts_resolved: false,
    });
    // One Events API alert per Alertmanager group (dedup_key = the group's key); the name is
    // the summary without "[FIRING:2]"; Alertmanager's default severity is "error".
    expect(firing.alerts).toHaveLength(1);
    expect(firing.alerts[0]).toMatchObject({
      status: 'firing',
      name: 'DiskAlmostFull (node critical)',
      severity: 'high',
      raw_severity: 'error',
      host: null,
      source_url: `${alertmanager.url}/#/alerts?receiver=akmatori`,
      annotations: { num_firing: '2', num_resolved: '0' },
    });
    for (const instance of ['db-1:9100', 'db-2:9100']) {
      expect(firing.alerts[0]?.annotations.firing).toContain(`instance = ${instance}`);
    }

    await alertmanager.postAlerts(
      alerts.map((alert) => ({ ...alert, endsAt: new Date(Date.now() - 1000).toISOString() })),
    );
    const resolved = await akmatori.waitForIncident(
      source,
      'the incident to show its alerts resolved',
      (incident) => incident.uuid === firing.incident.uuid && incident.alerts_resolved,
    );
    expect(resolved.incident.firing_count).toBe(0);
    expect(resolved.alerts).toHaveLength(1);
    expect(resolved.alerts[0]).toMatchObject({
      fingerprint: firing.alerts[0]?.fingerprint,
      status: 'resolved',
      annotations: { num_firing: '0', num_resolved: '2' },
    });
    expect(resolved.alerts[0]?.ends_at, 'a resolved alert has an end time').not.toBeNull();
    expect((await akmatori.incidents()).pagination.total).toBe(1);
  }, 60_000);
});
