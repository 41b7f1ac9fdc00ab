import { pollUntil } from '@akmatori/test-support/peers/process';

/**
 * The value of an Alertmanager counter for one integration, read from its `/metrics`
 * (Prometheus text format), e.g. `alertmanager_notifications_failed_total{integration="webhook"}`.
 * Sums the series when there are several (later versions add a `reason` label); 0 when absent.
 *
 * @example
 * ```ts
 * const failed = await alertmanagerCounter(am.url, 'alertmanager_notifications_failed_total', 'webhook');
 * ```
 */
export async function alertmanagerCounter(
  alertmanagerUrl: string,
  metric: string,
  integration: string,
): Promise<number> {
  const response = await fetch(`${alertmanagerUrl}/metrics`);
  if (!response.ok) throw new Error(`Alertmanager /metrics answered ${response.status}`);
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    if (!line.includes(`integration="${integration}"`)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/**
 * Waits until Alertmanager has counted at least `attempts` failed notifications through
 * `integration` (`alertmanager_notifications_failed_total`), so a test knows it tried.
 *
 * @example
 * ```ts
 * await failedNotifications(am.url, 'webhook', 2);
 * ```
 */
export function failedNotifications(
  alertmanagerUrl: string,
  integration: string,
  attempts: number,
): Promise<number> {
  return pollUntil(
    `${attempts} failed ${integration} notification(s) in Alertmanager's metrics`,
    async () => {
      const failed = await alertmanagerCounter(
        alertmanagerUrl,
        'alertmanager_notifications_failed_total',
        integration,
      );
      return failed >= attempts ? failed : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 200 },
  );
}
