import type { ToolResult } from '@akmatori/core';
import { callTool } from '@akmatori/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import { startTestExporter, type TestExporter } from '@akmatori/test-support/peers/exporter';
import { freePort, pollUntil } from '@akmatori/test-support/peers/process';
import { startPrometheus, type RunningPrometheus } from '@akmatori/test-support/peers/prometheus';
import { startReceiver, type WebhookReceiver } from '@akmatori/test-support/peers/receiver';
import { alertmanagerTools } from '../src/prometheus/alertmanager-tools.js';
import type { HttpApiCredentials } from '../src/prometheus/http-api-credentials.js';
import { prometheusTools } from '../src/prometheus/prometheus-tools.js';

// The prometheus and alertmanager tools against Debian's real Prometheus 2.42 and
// Alertmanager 0.25: Prometheus scrapes itself, a test exporter (queue depth 42) and a target
// that is not there; an alerting rule fires on the queue depth and a recording rule sums `up`
// by job; Alertmanager gets the firing alert, plus one the test silences and one inhibited.

type Row = Record<string, unknown>;

async function call(
  provider: typeof prometheusTools,
  credentials: HttpApiCredentials,
  tool: string,
  args: Row = {},
): Promise<ToolResult> {
  return (await callTool(provider, tool, credentials, args)).result;
}

/** Fails with the tool's own text when the call did not succeed. */
function succeeded(result: ToolResult): ToolResult {
  expect(result.isError, `the tool failed: ${result.text}`).toBeFalsy();
  return result;
}

let receiver: WebhookReceiver;
let alertmanager: RunningAlertmanager;
let exporter: TestExporter;
let prometheus: RunningPrometheus;
let prom: HttpApiCredentials;
let am: HttpApiCredentials;
let silenceId: string;
let goneTarget: string;

beforeAll(async () => {
  receiver = await startReceiver();
  alertmanager = await startAlertmanager({
    webhookUrl: `${receiver.url}/webhook/alert/prometheus-tools`,
    inhibitRules: [
      {
        source_matchers: ['alertname="QueueStuck"'],
        target_matchers: ['alertname="QueueSlow"'],
      },
    ],
  });
  exporter = await startTestExporter();
  exporter.set('akmatori_test_queue_depth', 42);
  goneTarget = `127.0.0.1:${await freePort()}`;
  prometheus = await startPrometheus({
    alertmanagerUrl: alertmanager.url,
    scrapeSelf: true,
    scrapeTargets: [exporter.target],
    scrapeConfigs: [{ job_name: 'gone', static_configs: [{ targets: [goneTarget] }] }],
    rules: [
      {
        alert: 'QueueStuck',
        expr: 'akmatori_test_queue_depth > 10',
        labels: { severity: 'critical' },
        annotations: { summary: 'queue depth is {{ $value }}' },
      },
    ],
    recordingRules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }],
  });
  prom = { url: prometheus.url };
  am = { url: alertmanager.url };
  const now = new Date();
  const inAnHour = new Date(now.getTime() + 3_600_000).toISOString();
  await alertmanager.postAlerts([
    { labels: { alertname: 'DiskFull', instance: 'db-1' }, endsAt: inAnHour },
    { labels: { alertname: 'QueueSlow', instance: 'q-1' }, endsAt: inAnHour },
  ]);
  const silenced = await fetch(`${alertmanager.url}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }],
      startsAt: now.toISOString(),
      endsAt: inAnHour,
      createdBy: 'oncall@example.com',
      comment: 'disk being replaced',
    }),
  });
  expect(silenced.status, await silenced.clone().text()).toBe(200);
  silenceId = ((await silenced.json()) as { silenceID: string }).silenceID;
  // Ready when the rule fired, Alertmanager holds it, and the recording rule has a value.
  await pollUntil(
    'QueueStuck in Alertmanager, job:up:sum recorded and 3 scrapes of the exporter',
    async () => {
      const alerts = (await (
        await fetch(`${alertmanager.url}/api/v2/alerts?filter=alertname%3D%22QueueStuck%22`)
      ).json()) as unknown[];
      const recorded = (await (
        await fetch(`${prometheus.url}/api/v1/query?query=job:up:sum`)
      ).json()) as { data: { result: unknown[] } };
      const scraped = (await (
        await fetch(
          `${prometheus.url}/api/v1/query?query=count_over_time(akmatori_test_queue_depth[1m])>=3`,
        )
      ).json()) as { data: { result: unknown[] } };
      return alerts.length > 0 && recorded.data.result.length >= 3 && scraped.data.result.length > 0
        ? true
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await exporter?.stop();
  await receiver?.stop();
});

describe('prometheus tools against Prometheus 2.42 (real binary)', () => {
  it('query: the current value of a scraped gauge, with its labels', async () => {
    const result = succeeded(
      await call(prometheusTools, prom, 'query', { query: 'akmatori_test_queue_depth' }),
    );
    expect(result.text).toContain('instant vector: 1 series');
    expect(result.text).toMatch(
      /akmatori_test_queue_depth\{instance="127\.0\.0\.1:\d+", job="akmatori-test"\} 42 @ /,
    );
    expect(result.structured).toMatchObject({
      resultType: 'vector',
      total: 1,
      series: [{ value: '42' }],
    });
  });

  it("query: a recording rule's series, and scalars", async () => {
    const recorded = succeeded(
      await call(prometheusTools, prom, 'query', { query: 'job:up:sum{job="gone"}' }),
    );
    expect(recorded.text).toContain('job:up:sum{job="gone"} 0');
    const scalar = succeeded(
      await call(prometheusTools, prom, 'query', { query: 'scalar(vector(7))', time: 'now-1m' }),
    );
    expect(scalar.text).toMatch(/^scalar 7 @ /);
  });

  it("query: a bad PromQL expression is a tool error carrying Prometheus's errorType and message", async () => {
    const result = await call(prometheusTools, prom, 'query', { query: 'sum(rate(up[5m]' });
    expect(result.isError).toBe(true);
    expect(result.structured).toEqual({ error_code: 'AKM_PROMETHEUS_API_ERROR' });
    expect(result.text).toMatch(/^Prometheus answered bad_data \(HTTP 400\): .*parse error/);
  });

  it('query: the limit cuts the series shown and says so', async () => {
    const result = succeeded(await call(prometheusTools, prom, 'query', { query: 'up', limit: 1 }));
    expect(result.text).toContain('3 series (1 shown: narrow the filters or raise limit)');
    expect((result.structured?.series as unknown[]).length).toBe(1);
  });

  it('query_range: each series summarised (points, first, last, min, max, avg, spread points)', async () => {
    const result = succeeded(
      await call(prometheusTools, prom, 'query_range', {
        query: 'akmatori_test_queue_depth',
        start: 'now-30s',
        end: 'now',
        step: '1s',
        points_shown: 4,
      }),
    );
    expect(result.text).toMatch(/^range .* step 1s: range vector: 1 series\n/);
    expect(result.text).toMatch(/min 42 .*max 42 .*avg 42/);
    const [series] = result.structured?.series as {
      points: number;
      sample: unknown[];
      max: { value: number };
    }[];
    expect(series?.points).toBeGreaterThan(1);
    expect(series?.sample.length).toBeLessThanOrEqual(4);
    expect(series?.max.value).toBe(42);
  });

  it('query_range: without a step it picks one for about 240 points; too many points are refused before asking', async () => {
    const day = succeeded(
      await call(prometheusTools, prom, 'query_range', { query: 'up', start: 'now-1d' }),
    );
    expect(day.structured?.step).toBe(360);
    const refused = await call(prometheusTools, prom, 'query_range', {
      query: 'up',
      start: 'now-1d',
      step: '1s',
    });
    expect(refused).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_INPUT_INVALID' },
    });
    expect(refused.text).toContain(
      'would give 86401 points per series, more than 1000: use a step of at least 1m27s',
    );
    const backwards = await call(prometheusTools, prom, 'query_range', {
      query: 'up',
      start: 'now',
      end: 'now-1h',
    });
    expect(backwards.text).toMatch(/^start \(.*\) must be before end/);
  });

  it('get_alerts: the firing alert with its value and annotations', async () => {
    const result = succeeded(await call(prometheusTools, prom, 'get_alerts', { state: 'firing' }));
    expect(result.text).toMatch(
      /^1 active alert\n\[firing\] QueueStuck\{.*severity="critical"\} value 4\.2e\+01 since .*: queue depth is 42/,
    );
    const none = succeeded(
      await call(prometheusTools, prom, 'get_alerts', { alertname: 'nothing-like-it' }),
    );
    expect(none.text).toBe('0 active alerts');
  });

  it('get_targets: health and the last scrape error of a target that is not there', async () => {
    const all = succeeded(await call(prometheusTools, prom, 'get_targets'));
    expect(all.text).toMatch(/^3 active targets \(.*2 up.*\)/);
    const down = succeeded(await call(prometheusTools, prom, 'get_targets', { health: 'down' }));
    expect(down.text).toContain(`[down] gone ${goneTarget} http://${goneTarget}/metrics`);
    expect(down.text).toContain('connection refused');
    expect(down.structured?.targets).toEqual([
      expect.objectContaining({ job: 'gone', health: 'down' }),
    ]);
  });

  it('get_rules: the alerting rule firing and the recording rule healthy', async () => {
    const result = succeeded(await call(prometheusTools, prom, 'get_rules'));
    expect(result.text).toContain('2 rules');
    expect(result.text).toContain(
      '[alerting firing, 1 active alert, for 0s] akmatori-test/QueueStuck: akmatori_test_queue_depth > 10 (health ok',
    );
    expect(result.text).toContain(
      '[recording] akmatori-test/job:up:sum: sum by (job) (up) (health ok',
    );
    const recording = succeeded(await call(prometheusTools, prom, 'get_rules', { type: 'record' }));
    expect(recording.structured?.rules).toEqual([
      expect.objectContaining({ type: 'recording', name: 'job:up:sum' }),
    ]);
    const unhealthy = succeeded(
      await call(prometheusTools, prom, 'get_rules', { unhealthy_only: true }),
    );
    expect(unhealthy.text).toBe('0 rules');
  });

  it('find_series, get_label_names, get_label_values and get_metric_metadata', async () => {
    const series = succeeded(await call(prometheusTools, prom, 'find_series', { match: ['up'] }));
    expect(series.text).toMatch(/^3 series\n/);
    expect(series.text).toContain('up{instance="');
    const names = succeeded(
      await call(prometheusTools, prom, 'get_label_names', { match: ['up'] }),
    );
    expect(names.structured?.names).toEqual(['__name__', 'instance', 'job']);
    const jobs = succeeded(await call(prometheusTools, prom, 'get_label_values', { label: 'job' }));
    expect(jobs.structured?.values).toEqual(['akmatori-test', 'gone', 'prometheus']);
    const metadata = succeeded(
      await call(prometheusTools, prom, 'get_metric_metadata', {
        metric: 'akmatori_test_queue_depth',
      }),
    );
    expect(metadata.text).toBe('1 metric\nakmatori_test_queue_depth (gauge): ');
    const bad = await call(prometheusTools, prom, 'find_series', { match: ['{'] });
    expect(bad).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_API_ERROR' },
    });
  });

  it('get_status: version and configuration reload state', async () => {
    const result = succeeded(await call(prometheusTools, prom, 'get_status'));
    expect(result.text).toMatch(
      /^Prometheus 2\.42\.0\S* at http:\/\/127\.0\.0\.1:\d+\/, started .*; last configuration reload succeeded/,
    );
  });

  it('a server that is not there is a tool error naming it', async () => {
    const result = await call(prometheusTools, { url: `http://${goneTarget}` }, 'get_status');
    expect(result).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_UNREACHABLE' },
    });
    expect(result.text).toContain(
      `could not reach Prometheus at http://${goneTarget}/: connect ECONNREFUSED`,
    );
  });

  it('a URL that is not Prometheus says so', async () => {
    const result = await call(
      prometheusTools,
      { url: `${alertmanager.url}/-/ready/` },
      'get_status',
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/HTTP 404|did not answer like the Prometheus API/);
  });
});

describe('alertmanager tools against Alertmanager 0.25 (real binary)', () => {
  it('get_alerts: active, silenced (with the silence) and inhibited (with the inhibiting alert)', async () => {
    const result = succeeded(await call(alertmanagerTools, am, 'get_alerts'));
    expect(result.text).toMatch(/^3 alerts \(2 suppressed\)\n/);
    expect(result.text).toMatch(
      /\[active\] QueueStuck\{.*\} since .* → akmatori: queue depth is 42/,
    );
    expect(result.text).toContain(
      `[suppressed: silenced by ${silenceId}] DiskFull{instance="db-1"}`,
    );
    expect(result.text).toMatch(
      /\[suppressed: inhibited by [0-9a-f]+\] QueueSlow\{instance="q-1"\}/,
    );
  });

  it('get_alerts: filters by matchers and leaves out silenced or inhibited alerts on request', async () => {
    const active = succeeded(
      await call(alertmanagerTools, am, 'get_alerts', { silenced: false, inhibited: false }),
    );
    expect(active.text).toMatch(/^1 alert \(0 suppressed\)\n\[active\] QueueStuck/);
    const filtered = succeeded(
      await call(alertmanagerTools, am, 'get_alerts', { filter: ['alertname=~"Disk.*"'] }),
    );
    expect((filtered.structured?.alerts as Row[]).map((a) => (a.labels as Row).alertname)).toEqual([
      'DiskFull',
    ]);
    const bad = await call(alertmanagerTools, am, 'get_alerts', { filter: ['alertname=="x'] });
    expect(bad).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_API_ERROR' },
    });
    expect(bad.text).toMatch(/^Alertmanager answered an error \(HTTP 400\): /);
  });

  it('get_alert_groups: the alerts as grouped for notification', async () => {
    const result = succeeded(await call(alertmanagerTools, am, 'get_alert_groups'));
    expect(result.text).toMatch(/^3 groups\n/);
    expect(result.text).toContain('group {alertname="QueueStuck"} → akmatori: 1 alert');
  });

  it('get_silences: the active silence with its matchers, author and comment', async () => {
    const result = succeeded(await call(alertmanagerTools, am, 'get_silences'));
    expect(result.text).toMatch(
      new RegExp(
        `^1 active silence\\n\\[active\\] ${silenceId} \\{alertname="DiskFull"\\} .* by oncall@example\\.com: disk being replaced$`,
      ),
    );
    const expired = succeeded(
      await call(alertmanagerTools, am, 'get_silences', { state: 'expired' }),
    );
    expect(expired.text).toBe('0 expired silences');
  });

  it('get_status: version and cluster state', async () => {
    const result = succeeded(await call(alertmanagerTools, am, 'get_status'));
    expect(result.text).toMatch(
      /^Alertmanager 0\.25\.0 at http:\/\/127\.0\.0\.1:\d+\/, up since .*; cluster disabled with 0 peers$/,
    );
  });
});
