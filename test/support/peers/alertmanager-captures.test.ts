import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertmanagerVersion,
  startAlertmanager,
  type PostableAlert,
  type RunningAlertmanager,
} from './alertmanager.js';
import {
  debianPackageVersion,
  fixturesDir,
  readCommittedCapture,
  shapeOf,
  writeCapture,
  WRITING_CAPTURES,
  type Capture,
} from './capture.js';
import { startTestExporter, type TestExporter } from './exporter.js';
import { prometheusVersion, startPrometheus, type RunningPrometheus } from './prometheus.js';
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from './receiver.js';

/**
 * Runs the real Alertmanager (and Prometheus) through the scenarios whose webhook bodies are
 * kept as `captured_am025_*` fixtures, and checks that what they send now has the committed
 * shape. `AKMATORI_WRITE_CAPTURES=1` rewrites the fixtures and their `.source.txt` files.
 */

const COMMAND =
  'AKMATORI_WRITE_CAPTURES=1 npx vitest run test/support/peers/alertmanager-captures.test.ts';
const WEBHOOK_PATH = '/webhook/alert/2f0c6a4e-5b1d-4c39-9a77-1d2e3f405162';
const BEARER = 'capture-bearer-token';
const ROUTING_KEY = 'R0ut1ngKeyForAkmatoriCapture0001';
/** Values kept when comparing shapes: what each scenario fixes. */
const KEEP = ['status', 'version', 'receiver', 'event_action', 'alertname', 'routing_key'];

interface AlertmanagerBody {
  status: string;
  groupLabels: Record<string, string>;
  alerts: { status: string }[];
}
const amBody = (r: ReceivedRequest): AlertmanagerBody => r.json as AlertmanagerBody;
const inGroup = (r: ReceivedRequest, alertname: string): boolean =>
  r.path === WEBHOOK_PATH && amBody(r).groupLabels?.alertname === alertname;
const statuses = (r: ReceivedRequest): string[] => amBody(r).alerts.map((a) => a.status);

const minutesAgo = (minutes: number): string =>
  new Date(Date.now() - minutes * 60_000).toISOString();
const resolvedNow = (alert: PostableAlert): PostableAlert => ({
  ...alert,
  endsAt: new Date(Date.now() - 1000).toISOString(),
});
const describePost = (alerts: PostableAlert[]): string =>
  `POST /api/v2/alerts ${JSON.stringify(alerts)}`;

function nodeAlert(alertname: string, instance: string, severity: string): PostableAlert {
  return {
    labels: { alertname, instance, job: 'node', severity },
    annotations: {
      summary: `${alertname} on ${instance}`,
      description: `${alertname} has been true on ${instance} for more than 5 minutes.`,
      runbook_url: `https://runbooks.example.com/${alertname}`,
    },
    startsAt: minutesAgo(5),
    generatorURL: `http://prometheus.example.com:9090/graph?g0.expr=${encodeURIComponent(alertname)}`,
  };
}

describe('captured Alertmanager 0.25 payloads (real prometheus-alertmanager and prometheus)', () => {
  let receiver: WebhookReceiver;
  let webhookAm: RunningAlertmanager;
  let pagerDutyAm: RunningAlertmanager;
  let exporter: TestExporter;
  let prometheus: RunningPrometheus;
  let amProducer: string;
  const captures: Capture[] = [];

  beforeAll(async () => {
    amProducer = `${alertmanagerVersion()} [Debian package prometheus-alertmanager ${debianPackageVersion('prometheus-alertmanager')}]`;
    receiver = await startReceiver((request) =>
      request.path === '/v2/enqueue'
        ? {
            status: 202,
            body: JSON.stringify({
              status: 'success',
              message: 'Event processed',
              dedup_key: (request.json as { dedup_key?: string } | undefined)?.dedup_key,
            }),
          }
        : { status: 200, body: '{"status":"ok"}' },
    );
    webhookAm = await startAlertmanager({
      webhookUrl: `${receiver.url}${WEBHOOK_PATH}`,
      bearerToken: BEARER,
    });
    pagerDutyAm = await startAlertmanager({
      pagerduty: { url: `${receiver.url}/v2/enqueue`, routingKey: ROUTING_KEY },
    });
    exporter = await startTestExporter();
    exporter.set('node_filesystem_avail_percent', 50);
    prometheus = await startPrometheus({
      alertmanagerUrl: webhookAm.url,
      scrapeTargets: [exporter.target],
      rules: [
        {
          alert: 'FilesystemAlmostFull',
          expr: 'node_filesystem_avail_percent < 10',
          labels: { severity: 'critical', team: 'storage' },
          annotations: {
            summary: 'Filesystem on {{ $labels.instance }} has {{ $value }}% space left',
            runbook_url: 'https://runbooks.example.com/FilesystemAlmostFull',
          },
        },
      ],
    });
    const results = await Promise.all([
      oneFiring(),
      twoInGroup(),
      firingAndResolved(),
      allResolved(),
      fromPrometheus(),
      pagerDuty(),
    ]);
    captures.push(...results.flat());
    if (WRITING_CAPTURES) for (const capture of captures) writeCapture(capture);
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
    await pagerDutyAm?.stop();
    await webhookAm?.stop();
    await receiver?.stop();
  });

  const webhookCapture = (
    name: string,
    what: string,
    request: ReceivedRequest,
    steps: string[],
  ): Capture => ({
    dir: fixturesDir('alertmanager'),
    name,
    what,
    request,
    producers: [amProducer],
    steps,
    configs: { 'alertmanager.yml': webhookAm.configText },
    command: COMMAND,
  });

  async function oneFiring(): Promise<Capture> {
    const alert = nodeAlert('DiskSpaceLow', 'db-1:9100', 'warning');
    await webhookAm.postAlerts([alert]);
    const request = await receiver.waitFor((r) => inGroup(r, 'DiskSpaceLow'));
    return webhookCapture(
      'captured_am025_one_firing',
      'one alert firing, alone in its group.',
      request,
      [describePost([alert]), 'first notification of group {alertname="DiskSpaceLow"}'],
    );
  }

  async function twoInGroup(): Promise<Capture> {
    const alerts = ['web-1:9100', 'web-2:9100'].map((i) =>
      nodeAlert('HighRequestLatency', i, 'warning'),
    );
    await webhookAm.postAlerts(alerts);
    const request = await receiver.waitFor((r) => inGroup(r, 'HighRequestLatency'));
    expect(statuses(request)).toEqual(['firing', 'firing']);
    return webhookCapture(
      'captured_am025_two_in_group',
      'two alerts firing in one group (group_by: [alertname]).',
      request,
      [describePost(alerts), 'first notification of group {alertname="HighRequestLatency"}'],
    );
  }

  async function firingAndResolved(): Promise<Capture[]> {
    const [api1, api2] = ['api-1:8080', 'api-2:8080'].map((i) =>
      nodeAlert('ServiceDown', i, 'critical'),
    ) as [PostableAlert, PostableAlert];
    await webhookAm.postAlerts([api1, api2]);
    await receiver.waitFor((r) => inGroup(r, 'ServiceDown'));
    const resolvedApi1 = resolvedNow(api1);
    await webhookAm.postAlerts([resolvedApi1]);
    const mixed = await receiver.waitFor(
      (r) => inGroup(r, 'ServiceDown') && statuses(r).includes('resolved'),
    );
    expect([...statuses(mixed)].sort()).toEqual(['firing', 'resolved']);
    const resolvedApi2 = resolvedNow(api2);
    await webhookAm.postAlerts([resolvedApi2]);
    const allResolved = await receiver.waitFor(
      (r) => inGroup(r, 'ServiceDown') && amBody(r).status === 'resolved',
    );
    const steps = [
      describePost([api1, api2]),
      'first notification (both firing)',
      describePost([resolvedApi1]),
      'next notification: api-1 resolved, api-2 still firing',
      describePost([resolvedApi2]),
      'next notification: the group resolved',
    ];
    return [
      webhookCapture(
        'captured_am025_firing_and_resolved',
        'one group, one alert still firing and one resolved in the same notification.',
        mixed,
        steps.slice(0, 4),
      ),
      webhookCapture(
        'captured_am025_last_resolved',
        'after a partial resolve, the last alert of the group resolved: status "resolved" with only that alert, since Alertmanager had already delivered the other one as resolved.',
        allResolved,
        steps,
      ),
    ];
  }

  async function allResolved(): Promise<Capture> {
    const alerts = ['backup-1', 'backup-2'].map((i) => nodeAlert('BackupFailed', i, 'warning'));
    await webhookAm.postAlerts(alerts);
    await receiver.waitFor((r) => inGroup(r, 'BackupFailed'));
    const resolved = alerts.map(resolvedNow);
    await webhookAm.postAlerts(resolved);
    const request = await receiver.waitFor(
      (r) => inGroup(r, 'BackupFailed') && amBody(r).status === 'resolved',
    );
    expect(statuses(request)).toEqual(['resolved', 'resolved']);
    return webhookCapture(
      'captured_am025_all_resolved',
      'all resolved: a group of two alerts that resolved together, both "resolved" in one notification.',
      request,
      [describePost(alerts), 'first notification (both firing)', describePost(resolved)],
    );
  }

  async function fromPrometheus(): Promise<Capture[]> {
    exporter.set('node_filesystem_avail_percent', 4);
    const firing = await receiver.waitFor((r) => inGroup(r, 'FilesystemAlmostFull'));
    exporter.set('node_filesystem_avail_percent', 55);
    const resolved = await receiver.waitFor(
      (r) => inGroup(r, 'FilesystemAlmostFull') && amBody(r).status === 'resolved',
    );
    const base = {
      dir: fixturesDir('alertmanager'),
      producers: [
        amProducer,
        `${prometheusVersion()} [Debian package prometheus ${debianPackageVersion('prometheus')}], --web.external-url=${prometheus.url}/`,
      ],
      configs: {
        'alertmanager.yml': webhookAm.configText,
        'prometheus.yml': prometheus.configText,
        'rules.yml': prometheus.rulesText,
      },
      command: COMMAND,
    };
    const steps = [
      `test exporter at ${exporter.target} serves node_filesystem_avail_percent 4; Prometheus scrapes it (1s) and the rule fires`,
      'Prometheus sends the alert to Alertmanager, which notifies the webhook',
      'exporter serves 55; the rule resolves and Prometheus sends the alert with endsAt set',
    ];
    return [
      {
        ...base,
        name: 'captured_am025_prometheus_firing',
        what: 'an alert from a real Prometheus rule, firing; generatorURL points at that Prometheus.',
        request: firing,
        steps: steps.slice(0, 2),
      },
      {
        ...base,
        name: 'captured_am025_prometheus_resolved',
        what: 'the same Prometheus rule resolved.',
        request: resolved,
        steps,
      },
    ];
  }

  async function pagerDuty(): Promise<Capture[]> {
    const alert = nodeAlert('PaymentErrorsHigh', 'payments-1:8080', 'critical');
    await pagerDutyAm.postAlerts([alert]);
    const isEvent = (r: ReceivedRequest, action: string): boolean =>
      r.path === '/v2/enqueue' && (r.json as { event_action?: string }).event_action === action;
    const trigger = await receiver.waitFor((r) => isEvent(r, 'trigger'));
    const resolvedAlert = resolvedNow(alert);
    await pagerDutyAm.postAlerts([resolvedAlert]);
    const resolve = await receiver.waitFor((r) => isEvent(r, 'resolve'));
    const base = {
      dir: fixturesDir('pagerduty'),
      producers: [amProducer],
      configs: { 'alertmanager.yml': pagerDutyAm.configText },
      command: COMMAND,
    };
    const steps = [describePost([alert]), 'pagerduty_configs sends event_action "trigger"'];
    return [
      {
        ...base,
        name: 'captured_am025_events_v2_trigger',
        what: 'a PagerDuty Events API v2 "trigger" request sent by Alertmanager\'s pagerduty_configs receiver.',
        request: trigger,
        steps,
      },
      {
        ...base,
        name: 'captured_am025_events_v2_resolve',
        what: 'the Events API v2 "resolve" request for the same alert group (same dedup_key).',
        request: resolve,
        steps: [...steps, describePost([resolvedAlert]), 'it sends event_action "resolve"'],
      },
    ];
  }

  it('captures all nine scenarios, each sent by Alertmanager 0.25', () => {
    expect(captures.map((c) => c.name).sort()).toEqual([
      'captured_am025_all_resolved',
      'captured_am025_events_v2_resolve',
      'captured_am025_events_v2_trigger',
      'captured_am025_firing_and_resolved',
      'captured_am025_last_resolved',
      'captured_am025_one_firing',
      'captured_am025_prometheus_firing',
      'captured_am025_prometheus_resolved',
      'captured_am025_two_in_group',
    ]);
    for (const capture of captures) {
      expect(capture.request.headers['user-agent'], capture.name).toBe('Alertmanager/0.25.0');
    }
  });

  it('sends payloads with the same shape as the committed captured_am025 fixtures', () => {
    for (const capture of captures) {
      const committed = readCommittedCapture(capture.dir, capture.name);
      expect(
        shapeOf(capture.request.json, KEEP),
        `${capture.name}: the real peer now sends a different shape; if the installed version changed on purpose, re-capture with ${COMMAND}`,
      ).toEqual(shapeOf(committed, KEEP));
    }
  });
});
