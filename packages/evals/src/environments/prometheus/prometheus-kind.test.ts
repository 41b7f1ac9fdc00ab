import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltEnvironment } from '../environment.js';
import { prometheusEnvironment } from './prometheus-kind.js';
import type { PrometheusSpec } from './prometheus-spec.js';

// One real Prometheus (and its Alertmanager) for the file: web-1 leaks memory and answers 12 %
// errors, db-1's exporter went down 20 minutes ago, under a silence.
const spec: PrometheusSpec = {
  history_minutes: 60,
  targets: [
    {
      job: 'node',
      instance: 'web-1:9100',
      metrics: [
        { name: 'node_memory_MemAvailable_bytes', start: 6e9, value: 2e8 },
        { name: 'http_requests_total', type: 'counter', labels: { code: '500' }, per_second: 12 },
        { name: 'http_requests_total', type: 'counter', labels: { code: '200' }, per_second: 88 },
      ],
    },
    {
      job: 'node',
      instance: 'db-1:9100',
      down_since_minutes: 20,
      metrics: [{ name: 'node_load1', value: 0.5 }],
    },
  ],
  rules: [
    {
      alert: 'LowMemory',
      expr: 'node_memory_MemAvailable_bytes < 5e8',
      labels: { severity: 'critical' },
    },
    { alert: 'TargetDown', expr: 'up == 0', labels: { severity: 'warning' } },
  ],
  alertmanager: {
    silences: [
      {
        matchers: ['alertname="TargetDown"'],
        created_by: 'alice',
        comment: 'db-1 is being rebuilt',
      },
    ],
  },
};

type Row = { metric: Record<string, string>; value: [number, string] };

describe('prometheus environment (real Prometheus, Alertmanager and exporters)', () => {
  let workDir: string;
  let built: BuiltEnvironment;
  let url: string;
  let amUrl: string;

  const query = async (promql: string): Promise<Row[]> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: Row[] } };
    expect(body.status, promql).toBe('success');
    return body.data.result;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'akmatori-eval-prom-test-'));
    built = await prometheusEnvironment.build(spec, { workDir, name: 'prom' });
    url = built.facts.prom_url!;
    amUrl = built.facts.prom_alertmanager_url!;
  }, 120_000);

  afterAll(async () => {
    await built?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('offers a prometheus and an alertmanager tool instance at the URLs it names as facts', () => {
    expect(built.toolInstances).toEqual([
      { type: 'prometheus', name: 'prom', settings: { url }, credentials: {} },
      {
        type: 'alertmanager',
        name: 'prom-alertmanager',
        settings: { url: amUrl },
        credentials: {},
      },
    ]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('holds the history: memory available was far higher 50 minutes ago than now', async () => {
    const [then] = await query('node_memory_MemAvailable_bytes{instance="web-1:9100"} offset 50m');
    const [now] = await query('node_memory_MemAvailable_bytes{instance="web-1:9100"}');
    expect(Number(then!.value[1])).toBeGreaterThan(1e9);
    expect(Number(now!.value[1])).toBe(2e8);
  });

  it('shows the error rate of web-1 at 12 %', async () => {
    const [ratio] = await query(
      'sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m]))',
    );
    expect(Number(ratio!.value[1])).toBeCloseTo(0.12, 2);
  });

  it('scrapes db-1 as down (up 0, its exporter answering 503) and web-1 as up', async () => {
    const up = await query('up');
    expect(up.map((row) => [row.metric.instance, row.value[1]]).sort()).toEqual([
      ['db-1:9100', '0'],
      ['web-1:9100', '1'],
    ]);
    const [wasUp] = await query('up{instance="db-1:9100"} offset 30m');
    expect(wasUp!.value[1]).toBe('1');
    const targets = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
      data: {
        activeTargets: { labels: { instance: string }; health: string; lastError: string }[];
      };
    };
    const db = targets.data.activeTargets.find((t) => t.labels.instance === 'db-1:9100');
    expect(db?.health).toBe('down');
    expect(db?.lastError).toContain('503');
  });

  it('fires both rules, and Alertmanager holds them with TargetDown silenced by alice', async () => {
    const firing = await query('ALERTS{alertstate="firing"}');
    expect(firing.map((row) => row.metric.alertname).sort()).toEqual(['LowMemory', 'TargetDown']);
    const alerts = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
      status: { state: string; silencedBy: string[] };
    }[];
    const state = Object.fromEntries(alerts.map((a) => [a.labels.alertname, a.status.state]));
    expect(state).toEqual({ LowMemory: 'active', TargetDown: 'suppressed' });
    const silences = (await (await fetch(`${amUrl}/api/v2/silences`)).json()) as {
      createdBy: string;
      comment: string;
      status: { state: string };
    }[];
    expect(silences).toEqual([
      expect.objectContaining({
        createdBy: 'alice',
        comment: 'db-1 is being rebuilt',
        status: { state: 'active' },
      }),
    ]);
  });

  it('stop() ends Prometheus, Alertmanager and the exporters and deletes its files', async () => {
    const targets = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { scrapeUrl: string }[] };
    };
    const exporterUrls = targets.data.activeTargets.map((t) => t.scrapeUrl);
    await built.stop();
    for (const gone of [url, amUrl, ...exporterUrls]) {
      await expect(fetch(gone), gone).rejects.toThrow();
    }
    expect(existsSync(path.join(workDir, 'prometheus-prom'))).toBe(false);
  });
});
