import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import { startTestExporter, type TestExporter } from '@akmatori/test-support/peers/exporter';
import { startPrometheus, type RunningPrometheus } from '@akmatori/test-support/peers/prometheus';
import {
  startAkmatori,
  type CreatedAlertSource,
  type SpawnedAkmatori,
} from '@akmatori/test-support/app/spawned-akmatori';

// A Prometheus rule over a real scrape fires through a real Alertmanager into Akmatori's
// alertmanager source, and its resolution resolves the incident.

const SECRET = 'prometheus-chain-secret';
const METRIC = 'akmatori_test_queue_depth';
const RUNBOOK = 'https://runbooks.example.com/QueueDepthHigh';

describe('Prometheus 2.42 → Alertmanager 0.25 → Akmatori (real binaries)', () => {
  let akmatori: SpawnedAkmatori;
  let source: CreatedAlertSource;
  let alertmanager: RunningAlertmanager;
  let exporter: TestExporter;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    akmatori = await startAkmatori();
    source = await akmatori.createSource({
      source_type_name: 'alertmanager',
      name: 'prometheus chain',
      webhook_secret: SECRET,
    });
    alertmanager = await startAlertmanager({
      webhookUrl: akmatori.webhookUrl(source),
      bearerToken: SECRET,
    });
    exporter = await startTestExporter();
    exporter.set(METRIC, 0);
    prometheus = await startPrometheus({
      alertmanagerUrl: alertmanager.url,
      scrapeTargets: [exporter.target],
      rules: [
        {
          alert: 'QueueDepthHigh',
          expr: `${METRIC} > 10`,
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Queue depth is {{ $value }}',
            description: 'The queue on {{ $labels.instance }} holds more than 10 items.',
            runbook_url: RUNBOOK,
          },
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
    await alertmanager?.stop();
    await akmatori?.stop();
  });

  it('opens an incident with the firing rule, then marks it resolved when the metric drops back', async () => {
    const flipped = Date.now();
    exporter.set(METRIC, 42);
    const firing = await akmatori.waitForIncident(
      source,
      'an incident with QueueDepthHigh firing',
      (_, alerts) => alerts.some((a) => a.name === 'QueueDepthHigh' && a.status === 'firing'),
    );
    expect(firing.incident).toMatchObject({
      source_type: 'alertmanager',
      severity: 'critical',
      alert_count: 1,
      firing_count: 1,
      alerts_resolved: false,
    });
    expect(firing.alerts).toHaveLength(1);
    const [alert] = firing.alerts;
    expect(alert).toMatchObject({
      status: 'firing',
      name: 'QueueDepthHigh',
      severity: 'critical',
      host: exporter.target,
      service: 'akmatori-test',
      summary: 'Queue depth is 42',
      description: `The queue on ${exporter.target} holds more than 10 items.`,
      runbook_url: RUNBOOK,
      labels: {
        alertname: 'QueueDepthHigh',
        severity: 'critical',
        instance: exporter.target,
        job: 'akmatori-test',
      },
    });
    expect(
      alert?.source_url?.startsWith(`${prometheus.url}/graph?g0.expr=`),
      `source_url ${alert?.source_url} should be Prometheus's generator URL`,
    ).toBe(true);

    const startsAt = Date.parse(alert?.starts_at ?? '');
    expect(
      startsAt >= flipped - 2000 && startsAt <= Date.now(),
      `starts_at ${alert?.starts_at} should be when the rule started firing, after ${new Date(flipped).toISOString()}`,
    ).toBe(true);

    exporter.set(METRIC, 0);
    const resolved = await akmatori.waitForIncident(
      source,
      'the incident to show its alerts resolved',
      (incident) => incident.uuid === firing.incident.uuid && incident.alerts_resolved,
    );
    expect(resolved.incident.firing_count).toBe(0);
    expect(resolved.alerts.map((a) => [a.name, a.status])).toEqual([
      ['QueueDepthHigh', 'resolved'],
    ]);
    expect(resolved.alerts[0]?.ends_at, 'a resolved alert has an end time').not.toBeNull();
    expect((await akmatori.incidents()).pagination.total).toBe(1);
  }, 60_000);
});
