import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltEnvironment, EnvironmentKind, EnvironmentToolInstance } from '../environment.js';
import {
  startAlertmanagerProcess,
  type AlertmanagerProcess,
} from '../alertmanager/alertmanager-process.js';
import { tellAlertmanagerStory } from '../alertmanager/alertmanager-story.js';
import { urlFact } from '../alertmanager/alertmanager-kind.js';
import {
  freePort,
  pollUntil,
  requireBinary,
  startPeerProcess,
  StopPolling,
  waitForHttpReady,
  type PeerProcess,
} from './peer-process.js';
import { EvalErrors } from '../../errors.js';
import { prometheusSpecSchema, type PrometheusSpec } from './prometheus-spec.js';
import { startStoryExporter, type StoryClock, type StoryExporter } from './story-exporter.js';
import { PROMTOOL_BINARY, writeStoryHistory } from './story-history.js';

/** Debian's Prometheus (package `prometheus`, 2.42 on Debian 12). */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

/** The Prometheus configuration for the story: every target under its own job and instance. */
function prometheusConfig(
  spec: PrometheusSpec,
  exporters: readonly StoryExporter[],
  rulesFile: string,
  alertmanagerUrl: string | undefined,
): Record<string, unknown> {
  const jobs = [...new Set(spec.targets.map((target) => target.job))];
  return {
    global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' },
    rule_files: [rulesFile],
    ...(alertmanagerUrl !== undefined && {
      alerting: {
        alertmanagers: [
          { api_version: 'v2', static_configs: [{ targets: [new URL(alertmanagerUrl).host] }] },
        ],
      },
    }),
    scrape_configs: jobs.map((job) => ({
      job_name: job,
      static_configs: spec.targets.flatMap((target, index) =>
        target.job === job
          ? [{ targets: [exporters[index]!.address], labels: { instance: target.instance } }]
          : [],
      ),
    })),
  };
}

/** The rule file: the spec's alerting rules, evaluated every second. */
function rulesText(spec: PrometheusSpec): string {
  const rules = (spec.rules ?? []).map(({ fires: _fires, ...rule }) => rule);
  return `${JSON.stringify({ groups: [{ name: 'alerts', interval: '1s', rules }] }, null, 2)}\n`;
}

async function prometheusGet<T>(url: string, api: string): Promise<T> {
  const response = await fetch(`${url}/api/v1/${api}`);
  if (!response.ok)
    throw EvalErrors.AKM_EVAL_PEER_REFUSED({
      peer: 'Prometheus',
      request: `GET /api/v1/${api}`,
      answer: `HTTP ${response.status}`,
    });
  return ((await response.json()) as { data: T }).data;
}

/** Waits until every target was scraped once and every rule that should fire is firing. */
async function waitForStory(url: string, spec: PrometheusSpec, peer: PeerProcess): Promise<void> {
  const firing = new Set((spec.rules ?? []).filter((r) => r.fires !== false).map((r) => r.alert));
  await pollUntil(
    'Prometheus to scrape every target and fire the rules',
    async () => {
      if (peer.exited())
        throw new StopPolling(
          EvalErrors.AKM_EVAL_PEER_FAILED({
            peer: 'Prometheus',
            problem: `exited:\n${peer.output()}`,
          }),
        );
      const targets = await prometheusGet<{ activeTargets: { health: string }[] }>(url, 'targets');
      const scraped =
        targets.activeTargets.length === spec.targets.length &&
        targets.activeTargets.every((target) => target.health !== 'unknown');
      const alerts = await prometheusGet<{
        alerts: { labels: { alertname: string }; state: string }[];
      }>(url, 'alerts');
      const fired = [...firing].every((name) =>
        alerts.alerts.some((alert) => alert.labels.alertname === name && alert.state === 'firing'),
      );
      return scraped && fired ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
}

/**
 * Kind `prometheus`: a real Prometheus (Debian's 2.42) on loopback scraping one exporter per
 * target every second, with `history_minutes` of past samples written into its TSDB first
 * (`promtool`), so range queries show the trend (memory climbing, a disk filling, errors
 * rising) and down targets show `up` 0 since they went down. Its alerting rules are evaluated
 * every second; with `alertmanager`, they go to a real Alertmanager that also holds the spec's
 * silences. Offers a `prometheus` tool instance (and an `alertmanager` one). Facts:
 * `<name>_url` for each instance.
 *
 * @example
 * ```ts
 * const built = await prometheusEnvironment.build(spec, { workDir, name: 'prom' });
 * await built.stop();
 * ```
 */
export const prometheusEnvironment: EnvironmentKind<PrometheusSpec> = {
  kind: 'prometheus',
  specSchema: prometheusSpecSchema,
  async build(spec, context): Promise<BuiltEnvironment> {
    requireBinary(PROMETHEUS_BINARY, 'prometheus');
    requireBinary(PROMTOOL_BINARY, 'prometheus');
    const name = context.name;
    const dir = path.join(context.workDir, `prometheus-${name}`);
    const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
    const stop = async (): Promise<void> => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    };
    try {
      await mkdir(dir, { recursive: true });
      const nowMs = Date.now();
      const clock: StoryClock = { startMs: nowMs - (spec.history_minutes ?? 60) * 60_000, nowMs };
      const exporters: StoryExporter[] = [];
      for (const target of spec.targets) {
        const exporter = await startStoryExporter(target, clock);
        cleanups.push(() => exporter.stop());
        exporters.push(exporter);
      }
      const dataDir = path.join(dir, 'data');
      await writeStoryHistory(spec.targets, clock, dir, dataDir);

      let am: AlertmanagerProcess | undefined;
      if (spec.alertmanager !== undefined) {
        am = await startAlertmanagerProcess(
          path.join(dir, 'alertmanager'),
          spec.alertmanager.inhibit_rules ?? [],
        );
        const peer = am.peer;
        cleanups.push(() => peer.stop());
      }
      const rulesFile = path.join(dir, 'rules.yml');
      await writeFile(rulesFile, rulesText(spec));
      const configFile = path.join(dir, 'prometheus.yml');
      const config = prometheusConfig(spec, exporters, rulesFile, am?.url);
      await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const peer = startPeerProcess(PROMETHEUS_BINARY, [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=${url}/`,
        // Alerts fired before Alertmanager is discovered are sent again a second later, not a minute.
        '--rules.alert.resend-delay=1s',
      ]);
      cleanups.push(() => peer.stop());
      await waitForHttpReady(`${url}/-/ready`, peer, 'Prometheus');
      await waitForStory(url, spec, peer);

      const toolInstances: EnvironmentToolInstance[] = [
        { type: 'prometheus', name, settings: { url }, credentials: {} },
      ];
      const facts: Record<string, string> = { [urlFact(name)]: url };
      if (am !== undefined && spec.alertmanager !== undefined) {
        const fromRules = (spec.rules ?? []).filter((r) => r.fires !== false).map((r) => r.alert);
        await tellAlertmanagerStory(am.url, spec.alertmanager, Date.now(), fromRules);
        const amName = spec.alertmanager.name ?? `${name}-alertmanager`;
        toolInstances.push({
          type: 'alertmanager',
          name: amName,
          settings: { url: am.url },
          credentials: {},
        });
        facts[urlFact(amName)] = am.url;
      }
      return { toolInstances, facts, stop };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};
