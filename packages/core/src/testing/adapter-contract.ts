import type { AlertAdapter, WebhookRequest } from '../contracts/alert-adapter.js';
import { alertSeverities, type NormalizedAlert } from '../contracts/alert.js';
import { silentLogger } from '../logging/logger.js';

/** Builds the request an adapter sees for a JSON body (raw bytes, parsed body, headers). */
export function webhookRequest(
  body: unknown,
  headers: Record<string, string> = {},
  query: Record<string, string> = {},
): WebhookRequest {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: { 'content-type': 'application/json', ...lowered }, rawBody, body, query };
}

/** Parses a body with an adapter's default config, as the host would. */
export function parseWith<C>(
  adapter: AlertAdapter<C>,
  body: unknown,
  options: {
    config?: C;
    headers?: Record<string, string>;
    secret?: string;
    receivedAt?: Date;
  } = {},
): NormalizedAlert[] {
  return adapter.parse(webhookRequest(body, options.headers), {
    config: (options.config ?? {}) as C,
    secret: options.secret,
    log: silentLogger(),
    receivedAt: options.receivedAt ?? new Date('2026-01-01T00:00:00Z'),
  });
}

/**
 * The contract every alert adapter must meet, checked over its own samples. Returns the
 * problems found (empty when the adapter passes), so it works with any test runner:
 *
 * @example
 * ```ts
 * expect(checkAlertAdapterContract(alertmanagerAdapter)).toEqual([]);
 * ```
 */
export function checkAlertAdapterContract<C>(adapter: AlertAdapter<C>): string[] {
  const problems: string[] = [];
  if (adapter.samples.length === 0) problems.push('has no samples');
  for (const sample of adapter.samples) {
    const where = `sample "${sample.name}"`;
    let first: NormalizedAlert[];
    try {
      first = parseWith(
        adapter,
        sample.body,
        sample.headers === undefined ? {} : { headers: { ...sample.headers } },
      );
    } catch (error) {
      problems.push(`${where} does not parse: ${(error as Error).message}`);
      continue;
    }
    if (first.length === 0) problems.push(`${where} gives no alerts`);
    const second = parseWith(
      adapter,
      sample.body,
      sample.headers === undefined ? {} : { headers: { ...sample.headers } },
    );
    if (
      JSON.stringify(first.map((a) => a.fingerprint)) !==
      JSON.stringify(second.map((a) => a.fingerprint))
    ) {
      problems.push(`${where}: fingerprints differ between two parses of the same payload`);
    }
    first.forEach((alert, index) => {
      const at = `${where} alert ${index}`;
      if (typeof alert.name !== 'string' || alert.name.trim() === '')
        problems.push(`${at}: empty name`);
      if (alert.status !== 'firing' && alert.status !== 'resolved')
        problems.push(`${at}: status ${String(alert.status)}`);
      if (!alertSeverities.includes(alert.severity))
        problems.push(`${at}: severity ${String(alert.severity)}`);
      if (typeof alert.fingerprint !== 'string' || alert.fingerprint === '')
        problems.push(`${at}: empty fingerprint`);
      for (const [field, record] of [
        ['labels', alert.labels],
        ['annotations', alert.annotations],
      ] as const) {
        if (record === null || typeof record !== 'object')
          problems.push(`${at}: ${field} must be an object`);
        else if (Object.values(record).some((v) => typeof v !== 'string'))
          problems.push(`${at}: ${field} values must be strings`);
      }
      for (const field of ['startsAt', 'endsAt'] as const) {
        const value = alert[field];
        if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
          problems.push(`${at}: ${field} must be a valid Date`);
        }
      }
    });
  }
  try {
    adapter.parse(webhookRequest('not json at all'), {
      config: {} as C,
      secret: undefined,
      log: silentLogger(),
      receivedAt: new Date(),
    });
    problems.push('accepts a body that is not a JSON object (it must throw payloadError)');
  } catch {
    // expected
  }
  return problems;
}
