import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  freePort,
  makeTempDir,
  requireBinary,
  startPeerProcess,
  waitForHttpReady,
} from './process.js';

/** Debian's Prometheus binary (package `prometheus`, 2.42 on Debian 12). */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

/** One alerting rule, as in a Prometheus rule file. */
export interface AlertingRule {
  alert: string;
  expr: string;
  /** Default `0s`: fire at the first evaluation that matches. */
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** Base URL of the Alertmanager to send alerts to, e.g. `http://127.0.0.1:40123`; none: no alerting. */
  alertmanagerUrl?: string;
  /** Alerting rules, evaluated every second. */
  rules?: AlertingRule[];
  /** `host:port` targets scraped every second as job `akmatori-test`. */
  scrapeTargets?: string[];
  /** More scrape jobs, as written in `scrape_configs` (`job_name`, `authorization`, ...). */
  scrapeConfigs?: Record<string, unknown>[];
}

/** A running Prometheus. */
export interface RunningPrometheus {
  /** Base URL; also its `--web.external-url`, so alerts carry a `generatorURL` under it. */
  readonly url: string;
  readonly pid: number;
  /** The configuration and rule files it runs with (JSON, which Prometheus reads as YAML). */
  readonly configText: string;
  readonly rulesText: string;
  /** Stops the process and deletes its temp dir. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's Prometheus on a free 127.0.0.1 port, scraping and evaluating rules every
 * second, with its TSDB in a temp dir, and waits for `/-/ready`. Throws "install prometheus"
 * when the binary is missing.
 *
 * @example
 * ```ts
 * const prometheus = await startPrometheus({
 *   alertmanagerUrl: am.url,
 *   rules: [{ alert: 'QueueStuck', expr: 'akmatori_test_queue_depth > 10' }],
 *   scrapeTargets: [exporter.target],
 * });
 * await prometheus.stop();
 * ```
 */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  requireBinary(PROMETHEUS_BINARY, 'prometheus');
  const dir = makeTempDir('prometheus');
  const rulesFile = path.join(dir.path, 'rules.yml');
  const rulesText = `${JSON.stringify(
    { groups: [{ name: 'akmatori-test', interval: '1s', rules: options.rules ?? [] }] },
    null,
    2,
  )}\n`;
  const alertmanager =
    options.alertmanagerUrl === undefined ? undefined : new URL(options.alertmanagerUrl);
  const configText = `${JSON.stringify(
    {
      global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' },
      rule_files: [rulesFile],
      ...(alertmanager === undefined
        ? {}
        : {
            alerting: {
              alertmanagers: [
                {
                  scheme: alertmanager.protocol.replace(':', ''),
                  api_version: 'v2',
                  static_configs: [{ targets: [alertmanager.host] }],
                },
              ],
            },
          }),
      scrape_configs: [
        ...(options.scrapeTargets === undefined
          ? []
          : [{ job_name: 'akmatori-test', static_configs: [{ targets: options.scrapeTargets }] }]),
        ...(options.scrapeConfigs ?? []),
      ],
    },
    null,
    2,
  )}\n`;
  const configFile = path.join(dir.path, 'prometheus.yml');
  writeFileSync(rulesFile, rulesText);
  writeFileSync(configFile, configText);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const peer = startPeerProcess(PROMETHEUS_BINARY, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${url}/`,
  ]);
  const stop = async (): Promise<void> => {
    await peer.stop();
    dir.remove();
  };
  try {
    await waitForHttpReady(`${url}/-/ready`, peer, 'Prometheus');
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: peer.pid, configText, rulesText, stop };
}

/**
 * The first line of `prometheus --version`, e.g. `prometheus, version 2.42.0+ds (…)`.
 *
 * @example
 * ```ts
 * const version = prometheusVersion();
 * ```
 */
export function prometheusVersion(): string {
  requireBinary(PROMETHEUS_BINARY, 'prometheus');
  const text = execFileSync(PROMETHEUS_BINARY, ['--version'], { encoding: 'utf8' });
  return text.split('\n')[0]?.trim() ?? '';
}
