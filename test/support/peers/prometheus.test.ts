import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertmanager, type RunningAlertmanager } from './alertmanager.js';
import { startTestExporter, type TestExporter } from './exporter.js';
import { startPrometheus, type RunningPrometheus } from './prometheus.js';
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from './receiver.js';

interface WebhookBody {
  version: string;
  status: string;
  alerts: {
    status: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    generatorURL: string;
  }[];
}

const bodyOf = (request: ReceivedRequest): WebhookBody => request.json as WebhookBody;

describe('Prometheus 2.42 → Alertmanager 0.25 → webhook (real binaries)', () => {
  let receiver: WebhookReceiver;
  let alertmanager: RunningAlertmanager;
  let exporter: TestExporter;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    receiver = await startReceiver();
    alertmanager = await startAlertmanager({
      webhookUrl: `${receiver.url}/webhook/alert/prometheus-chain`,
      bearerToken: 'chain-token',
    });
    exporter = await startTestExporter();
    exporter.set('akmatori_test_queue_depth', 0);
    prometheus = await startPrometheus({
      alertmanagerUrl: alertmanager.url,
      scrapeTargets: [exporter.target],
      rules: [
        {
          alert: 'QueueDepthHigh',
          expr: 'akmatori_test_queue_depth > 10',
          labels: { severity: 'critical' },
          annotations: { summary: 'Queue depth is {{ $value }}' },
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
    await alertmanager?.stop();
    await receiver?.stop();
  });

  it('delivers the rule firing, then resolved, when the metric crosses the threshold and back', async () => {
    exporter.set('akmatori_test_queue_depth', 42);
    const firing = await receiver.waitFor((r) => bodyOf(r).status === 'firing');
    exporter.set('akmatori_test_queue_depth', 0);
    const resolved = await receiver.waitFor((r) => bodyOf(r).status === 'resolved');

    const [firingAlert] = bodyOf(firing).alerts;
    expect(bodyOf(firing).version).toBe('4');
    expect(firing.headers.authorization).toBe('Bearer chain-token');
    expect(firingAlert?.labels).toMatchObject({
      alertname: 'QueueDepthHigh',
      severity: 'critical',
      job: 'akmatori-test',
      instance: exporter.target,
    });
    expect(firingAlert?.annotations.summary).toBe('Queue depth is 42');
    expect(firingAlert?.generatorURL.startsWith(`${prometheus.url}/graph?g0.expr=`)).toBe(true);
    expect(bodyOf(resolved).alerts.map((a) => [a.labels.alertname, a.status])).toEqual([
      ['QueueDepthHigh', 'resolved'],
    ]);
  });
});
