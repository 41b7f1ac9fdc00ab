import { alertmanagerWebhookBody, ALERTS_PER_REQUEST } from './payloads.js';
import { drive } from './load.js';
import { metric, type BenchServer } from './akmatori-server.js';

/** What the storm scenario observed. */
export interface StormResult {
  readonly alertsSent: number;
  readonly sendSeconds: number;
  readonly incidents: number;
  readonly investigationsQueued: number;
  readonly storedAlerts: number;
  readonly settleSeconds: number;
}

/**
 * 10,000 distinct alerts of one group from one source, as fast as 50 connections send them;
 * then waits until the incident engine has applied them all.
 */
export async function runStorm(target: BenchServer, alerts = 10_000): Promise<StormResult> {
  const requests = alerts / ALERTS_PER_REQUEST;
  const startsAt = new Date().toISOString();
  const started = performance.now();
  let sent = 0;
  // autocannon by amount: exactly `requests` requests
  await drive({
    url: target.webhookUrl,
    connections: 50,
    seconds: 60,
    amount: requests,
    headers: { authorization: `Bearer ${target.secret}` },
    body: (n) => {
      sent++;
      return alertmanagerWebhookBody(1_000_000 + n, 'distinct', startsAt);
    },
  });
  const sendSeconds = (performance.now() - started) / 1000;
  for (;;) {
    if ((await metric(target, 'akmatori_alert_events_unprocessed')) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const settleSeconds = (performance.now() - started) / 1000;
  const page = (await (
    await fetch(`${target.server.url}/api/incidents?per_page=200`, {
      headers: { authorization: `Bearer ${target.token}` },
    })
  ).json()) as {
    data: { alert_count: number; created_at: string }[];
    pagination: { total: number };
  };
  const fresh = page.data.filter((incident) => incident.created_at >= startsAt);
  return {
    alertsSent: sent * ALERTS_PER_REQUEST,
    sendSeconds,
    incidents: fresh.length,
    investigationsQueued: await metric(target, 'akmatori_investigations_waiting'),
    storedAlerts: fresh.reduce((sum, incident) => sum + incident.alert_count, 0),
    settleSeconds,
  };
}
