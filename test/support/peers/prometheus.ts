import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  freePort,
  makeTempDir,
  pollUntil,
  requireBinary,
  startPeerProcess,
  StopPolling,
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

/** One recording rule, as in a Prometheus rule file. */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/**
 * Prometheus's web configuration (`--web.config.file`): basic auth users and a TLS server,
 * optionally asking clients for a certificate (mutual TLS).
 */
export interface PrometheusWebConfig {
  /** User name to bcrypt hash (`$2b$10$…`). */
  basicAuthUsers?: Record<string, string>;
  /** Serve HTTPS with this PEM certificate and key; with `clientCa`, require client certificates it signed. */
  tls?: { cert: string; key: string; clientCa?: string };
}

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** Base URL of the Alertmanager to send alerts to, e.g. `http://127.0.0.1:40123`; none: no alerting. */
  alertmanagerUrl?: string;
  /** Alerting rules, evaluated every second. */
  rules?: AlertingRule[];
  /** Recording rules, in the same group as the alerting rules. */
  recordingRules?: RecordingRule[];
  /** Basic auth and TLS of its own HTTP server; then readiness is read from its log. */
  webConfig?: PrometheusWebConfig;
  /** `host:port` targets scraped every second as job `akmatori-test`. */
  scrapeTargets?: string[];
  /** Scrape Prometheus itself as job `prometheus` (only without `webConfig`). */
  scrapeSelf?: boolean;
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
    {
      groups: [
        {
          name: 'akmatori-test',
          interval: '1s',
          rules: [...(options.rules ?? []), ...(options.recordingRules ?? [])],
        },
      ],
    },
    null,
    2,
  )}\n`;
  const port = await freePort();
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
        ...(options.scrapeSelf === true
          ? [{ job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${port}`] }] }]
          : []),
        ...(options.scrapeConfigs ?? []),
      ],
    },
    null,
    2,
  )}\n`;
  const configFile = path.join(dir.path, 'prometheus.yml');
  writeFileSync(rulesFile, rulesText);
  writeFileSync(configFile, configText);
  const tls = options.webConfig?.tls;
  const url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
  const webConfigArgs =
    options.webConfig === undefined
      ? []
      : [`--web.config.file=${writeWebConfig(dir.path, options.webConfig)}`];
  const peer = startPeerProcess(PROMETHEUS_BINARY, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${url}/`,
    ...webConfigArgs,
  ]);
  const stop = async (): Promise<void> => {
    await peer.stop();
    dir.remove();
  };
  try {
    if (options.webConfig === undefined)
      await waitForHttpReady(`${url}/-/ready`, peer, 'Prometheus');
    // Behind auth or client certificates, /-/ready cannot be asked: its log says when it serves.
    else
      await pollUntil('Prometheus to log that it is ready', () => {
        if (peer.exited()) throw new StopPolling(`Prometheus exited:\n${peer.output()}`);
        return peer.output().includes('Server is ready to receive web requests.')
          ? true
          : undefined;
      });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: peer.pid, configText, rulesText, stop };
}

/** Writes the web config file (certificates beside it) and returns its path. */
function writeWebConfig(dir: string, web: PrometheusWebConfig): string {
  const config: Record<string, unknown> = {};
  if (web.basicAuthUsers !== undefined) config.basic_auth_users = web.basicAuthUsers;
  if (web.tls !== undefined) {
    writeFileSync(path.join(dir, 'server.crt'), web.tls.cert);
    writeFileSync(path.join(dir, 'server.key'), web.tls.key, { mode: 0o600 });
    config.tls_server_config = {
      cert_file: path.join(dir, 'server.crt'),
      key_file: path.join(dir, 'server.key'),
      ...(web.tls.clientCa !== undefined && {
        client_auth_type: 'RequireAndVerifyClientCert',
        client_ca_file: path.join(dir, 'client-ca.crt'),
      }),
    };
    if (web.tls.clientCa !== undefined)
      writeFileSync(path.join(dir, 'client-ca.crt'), web.tls.clientCa);
  }
  const file = path.join(dir, 'web.yml');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
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
