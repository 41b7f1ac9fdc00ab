import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, pollUntil, type TempDir } from '@akmatori/test-support/peers/process';
import { startPrometheus, type RunningPrometheus } from '@akmatori/test-support/peers/prometheus';
import { capturedLogger, startApp } from './helpers.js';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

const METRICS_TOKEN = 'scrape-token-0f1e2d3c4b5a';

const hosts: TestHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

async function boot(options: Parameters<typeof startApp>[0] = {}): Promise<TestHost> {
  const host = await startApp(options);
  hosts.push(host);
  return host;
}

describe('GET /ready', () => {
  it('tells an anonymous caller only that the database is unavailable, and logs why', async () => {
    const captured = capturedLogger();
    const host = await boot({ log: captured.log });
    await host.database.close();
    const why = await host.database.ping().then(
      () => 'the closed database answered',
      (error: Error) => error.message,
    );
    const response = await host.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      database: 'embedded',
      reason: 'database unavailable',
    });
    expect(response.body).not.toContain(why);
    expect(captured.text()).toContain(why);
    expect(captured.text()).toContain('not ready: the database did not answer');
  });
});

describe('GET /metrics with AKMATORI_METRICS_TOKEN set', () => {
  const scrape = (host: TestHost, authorization?: string) =>
    host.inject({
      method: 'GET',
      url: '/metrics',
      headers: authorization === undefined ? {} : { authorization },
    });

  it.each([
    ['no Authorization header', undefined],
    ['another token', 'Bearer scrape-token-0f1e2d3c4b5b'],
    [
      'the token as basic auth',
      `Basic ${Buffer.from(`prometheus:${METRICS_TOKEN}`).toString('base64')}`,
    ],
    ['a prefix of the token', `Bearer ${METRICS_TOKEN.slice(0, -1)}`],
  ])('answers 401 to %s, saying what it needs', async (_what, authorization) => {
    const host = await boot({ config: { metricsToken: METRICS_TOKEN } });
    const response = await scrape(host, authorization);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json()).toMatchObject({ code: 'AKM_METRICS_TOKEN_REQUIRED' });
    expect(response.body).not.toContain('akmatori_http_requests_total');
    expect(response.body).not.toContain(METRICS_TOKEN);
  });

  it('answers the scrape that sends Authorization: Bearer <token>', async () => {
    const host = await boot({ config: { metricsToken: METRICS_TOKEN } });
    const response = await scrape(host, `Bearer ${METRICS_TOKEN}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('akmatori_http_requests_total');
  });

  it('leaves /health and /ready open for probes', async () => {
    const host = await boot({ config: { metricsToken: METRICS_TOKEN } });
    expect((await host.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await host.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('is marked as needing a bearer token in the OpenAPI document', async () => {
    const host = await boot({ config: { metricsToken: METRICS_TOKEN } });
    const doc = (await host.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, { get: { security?: unknown } }>;
    }>();
    expect(doc.paths['/metrics']?.get.security).toEqual([{ bearer: [] }]);
  });
});

describe('Prometheus 2.42 scraping a token-protected /metrics (real binaries)', () => {
  let akmatori: SpawnedAkmatori | undefined;
  let prometheus: RunningPrometheus | undefined;
  let dir: TempDir | undefined;
  afterEach(async () => {
    await prometheus?.stop();
    await akmatori?.stop();
    dir?.remove();
  });

  interface Target {
    labels: { job: string };
    health: 'up' | 'down' | 'unknown';
    lastError: string;
  }

  it('scrapes with authorization.credentials_file and bearer_token_file, and is refused without the token', async () => {
    akmatori = await startAkmatori({ AKMATORI_METRICS_TOKEN: METRICS_TOKEN, GATEWAY_PORT: '0' });
    dir = makeTempDir('metrics-token');
    const tokenFile = path.join(dir.path, 'akmatori-token');
    const wrongFile = path.join(dir.path, 'wrong-token');
    writeFileSync(tokenFile, `${METRICS_TOKEN}\n`, { mode: 0o600 });
    writeFileSync(wrongFile, 'not-the-metrics-token\n', { mode: 0o600 });
    const target = new URL(akmatori.url).host;
    const job = (name: string, auth: Record<string, unknown>): Record<string, unknown> => ({
      job_name: name,
      metrics_path: '/metrics',
      static_configs: [{ targets: [target] }],
      ...auth,
    });
    prometheus = await startPrometheus({
      scrapeConfigs: [
        job('with-credentials-file', {
          authorization: { type: 'Bearer', credentials_file: tokenFile },
        }),
        job('with-bearer-token-file', { bearer_token_file: tokenFile }),
        job('with-wrong-token', { authorization: { credentials_file: wrongFile } }),
        job('without-token', {}),
      ],
    });
    const targets = await pollUntil('Prometheus to have scraped every job once', async () => {
      const response = await fetch(`${prometheus!.url}/api/v1/targets?state=active`);
      const body = (await response.json()) as { data: { activeTargets: Target[] } };
      const active = body.data.activeTargets;
      return active.length === 4 && active.every((t) => t.health !== 'unknown')
        ? Object.fromEntries(active.map((t) => [t.labels.job, t]))
        : undefined;
    });
    expect(targets['with-credentials-file']).toMatchObject({ health: 'up', lastError: '' });
    expect(targets['with-bearer-token-file']).toMatchObject({ health: 'up', lastError: '' });
    expect(targets['with-wrong-token']?.health).toBe('down');
    expect(targets['with-wrong-token']?.lastError).toContain('401');
    expect(targets['without-token']?.health).toBe('down');
    expect(targets['without-token']?.lastError).toContain('401');

    const series = await pollUntil('akmatori_http_requests_total in Prometheus', async () => {
      const query = encodeURIComponent('akmatori_http_requests_total{job="with-credentials-file"}');
      const response = await fetch(`${prometheus!.url}/api/v1/query?query=${query}`);
      const body = (await response.json()) as { data: { result: unknown[] } };
      return body.data.result.length > 0 ? body.data.result : undefined;
    });
    expect(series.length).toBeGreaterThan(0);
  }, 120_000);
});
