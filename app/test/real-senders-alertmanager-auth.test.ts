import { afterEach, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import { failedNotifications } from './support/alertmanager-metrics.js';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// How a real Alertmanager's webhook_configs authenticate to an Akmatori alertmanager source:
// basic auth with the secret as password is accepted, a wrong bearer secret is refused.

const SECRET = 'alertmanager-auth-secret';

/** Requests Akmatori answered on the webhook route with `status`, from its own `/metrics`. */
async function webhookAnswers(akmatori: SpawnedAkmatori, status: number): Promise<number> {
  const text = await (await fetch(`${akmatori.url}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('akmatori_http_requests_total{') &&
        line.includes('route="/webhook/alert/:uuid"') &&
        line.includes(`status_code="${status}"`),
    )
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('Alertmanager 0.25 webhook authentication against Akmatori (real binaries)', () => {
  let akmatori: SpawnedAkmatori | undefined;
  let alertmanager: RunningAlertmanager | undefined;

  afterEach(async () => {
    await alertmanager?.stop();
    await akmatori?.stop();
    alertmanager = undefined;
    akmatori = undefined;
  });

  it('accepts basic auth whose password is the webhook secret and opens the incident', async () => {
    akmatori = await startAkmatori();
    const source = await akmatori.createSource({
      source_type_name: 'alertmanager',
      name: 'basic auth',
      webhook_secret: SECRET,
    });
    alertmanager = await startAlertmanager({
      webhookUrl: akmatori.webhookUrl(source),
      basicAuth: { username: 'alertmanager', password: SECRET },
    });

    await alertmanager.postAlerts([
      {
        labels: { alertname: 'BasicAuthDelivered', instance: 'web-1:9100', severity: 'warning' },
        annotations: { summary: 'delivered with basic auth' },
      },
    ]);

    const { alerts } = await akmatori.waitForIncident(
      source,
      'an incident with BasicAuthDelivered',
      (_, found) => found.some((a) => a.name === 'BasicAuthDelivered'),
    );
    expect(alerts.map((a) => [a.name, a.status, a.host, a.severity])).toEqual([
      ['BasicAuthDelivered', 'firing', 'web-1:9100', 'warning'],
    ]);
  }, 60_000);

  it('refuses a wrong bearer secret: Alertmanager counts the failure and Akmatori stores nothing', async () => {
    akmatori = await startAkmatori();
    const source = await akmatori.createSource({
      source_type_name: 'alertmanager',
      name: 'wrong secret',
      webhook_secret: SECRET,
    });
    alertmanager = await startAlertmanager({
      webhookUrl: akmatori.webhookUrl(source),
      bearerToken: 'not-the-webhook-secret',
    });

    await alertmanager.postAlerts([
      { labels: { alertname: 'WrongSecret', instance: 'web-1:9100', severity: 'critical' } },
    ]);

    // Alertmanager retries a failed notification at every group_interval (1 s): two failures
    // mean Akmatori answered the first one a second ago.
    await failedNotifications(alertmanager.url, 'webhook', 2);
    expect(
      await webhookAnswers(akmatori, 401),
      'Akmatori answered the webhook with 401',
    ).toBeGreaterThanOrEqual(2);
    expect(await webhookAnswers(akmatori, 202), 'Akmatori accepted no webhook').toBe(0);
    const incidents = await akmatori.incidents();
    expect(incidents.pagination.total, JSON.stringify(incidents.data)).toBe(0);
  }, 60_000);
});
