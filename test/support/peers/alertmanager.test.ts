import { afterEach, describe, expect, it } from 'vitest';
import { startAlertmanager, type PostableAlert, type RunningAlertmanager } from './alertmanager.js';
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from './receiver.js';

interface WebhookBody {
  version: string;
  status: string;
  receiver: string;
  groupKey: string;
  alerts: { status: string; labels: Record<string, string>; endsAt: string }[];
}

const bodyOf = (request: ReceivedRequest): WebhookBody => request.json as WebhookBody;

describe('Alertmanager 0.25 webhook receiver (real prometheus-alertmanager)', () => {
  let receiver: WebhookReceiver | undefined;
  let alertmanager: RunningAlertmanager | undefined;

  afterEach(async () => {
    await alertmanager?.stop();
    await receiver?.stop();
    alertmanager = undefined;
    receiver = undefined;
  });

  it('sends a version 4 body with both alerts firing, then both resolved, with the bearer token', async () => {
    receiver = await startReceiver();
    alertmanager = await startAlertmanager({
      webhookUrl: `${receiver.url}/webhook/alert/test-source`,
      bearerToken: 'am-test-token',
      groupWait: '1s',
      groupInterval: '1s',
    });
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alerts: PostableAlert[] = ['web-1', 'web-2'].map((instance) => ({
      labels: { alertname: 'HighLatency', instance, severity: 'warning' },
      annotations: { summary: `latency high on ${instance}` },
      startsAt,
    }));

    await alertmanager.postAlerts(alerts);
    const firing = await receiver.waitFor(
      (r) => bodyOf(r).status === 'firing' && bodyOf(r).alerts.length === 2,
    );
    await alertmanager.postAlerts(
      alerts.map((alert) => ({ ...alert, endsAt: new Date(Date.now() - 1000).toISOString() })),
    );
    const resolved = await receiver.waitFor((r) => bodyOf(r).status === 'resolved');

    for (const request of [firing, resolved]) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/webhook/alert/test-source');
      expect(request.headers.authorization).toBe('Bearer am-test-token');
      expect(request.headers['user-agent']).toMatch(/^Alertmanager\//);
      expect(bodyOf(request).version).toBe('4');
      expect(bodyOf(request).receiver).toBe('akmatori');
    }
    expect(bodyOf(firing).alerts.map((a) => [a.labels.instance, a.status])).toEqual([
      ['web-1', 'firing'],
      ['web-2', 'firing'],
    ]);
    expect(bodyOf(resolved).alerts.map((a) => [a.labels.instance, a.status])).toEqual([
      ['web-1', 'resolved'],
      ['web-2', 'resolved'],
    ]);
    expect(bodyOf(resolved).groupKey).toBe(bodyOf(firing).groupKey);
  });

  it('sends HTTP basic auth when the receiver is configured with basic_auth', async () => {
    receiver = await startReceiver();
    alertmanager = await startAlertmanager({
      webhookUrl: `${receiver.url}/hook`,
      basicAuth: { username: 'akmatori', password: 'basic-secret' },
    });

    await alertmanager.postAlerts([{ labels: { alertname: 'BasicAuthCheck' } }]);
    const request = await receiver.waitFor(() => true);

    const expected = Buffer.from('akmatori:basic-secret').toString('base64');
    expect(request.headers.authorization).toBe(`Basic ${expected}`);
    expect(bodyOf(request).alerts[0]?.labels.alertname).toBe('BasicAuthCheck');
  });
});
