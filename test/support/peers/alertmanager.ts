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

/** Debian's Alertmanager binary (package `prometheus-alertmanager`, 0.25 on Debian 12). */
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

/** How Alertmanager groups and paces notifications (its `route`); durations as `1s`, `5m`. */
export interface AlertmanagerRouting {
  /** Default `1s`. */
  groupWait?: string;
  /** Default `1s`. */
  groupInterval?: string;
  /** Default `1h`, so a test sees no repeats. */
  repeatInterval?: string;
  /** Default `['alertname']`. */
  groupBy?: string[];
  /** `inhibit_rules`, as written in the configuration (`source_matchers`, `target_matchers`, `equal`). */
  inhibitRules?: Record<string, unknown>[];
}

/** Alertmanager with a `webhook_configs` receiver (`send_resolved: true`). */
export interface AlertmanagerWebhookOptions extends AlertmanagerRouting {
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>` (`http_config.authorization.credentials`). */
  bearerToken?: string;
  /** Sent as HTTP basic auth (`http_config.basic_auth`). */
  basicAuth?: { username: string; password: string };
}

/** Alertmanager with a `pagerduty_configs` receiver sending Events API v2 requests to `url`. */
export interface AlertmanagerPagerDutyOptions extends AlertmanagerRouting {
  pagerduty: { url: string; routingKey: string };
}

/** Options of {@link startAlertmanager}: a webhook receiver or a PagerDuty one. */
export type AlertmanagerOptions = AlertmanagerWebhookOptions | AlertmanagerPagerDutyOptions;

/** An alert as `POST /api/v2/alerts` takes it; an `endsAt` in the past resolves it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** A running Alertmanager. */
export interface RunningAlertmanager {
  /** Base URL, e.g. `http://127.0.0.1:40123`; also its `--web.external-url` (`externalURL`). */
  readonly url: string;
  readonly pid: number;
  /** The configuration file it runs with (JSON, which Alertmanager reads as YAML). */
  readonly configText: string;
  /** POSTs the alerts to `/api/v2/alerts`; throws unless Alertmanager answers 2xx. */
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  /** Stops the process and deletes its temp dir. */
  stop(): Promise<void>;
}

/**
 * The Alertmanager configuration for `options`, as data (write it as JSON: YAML accepts it).
 *
 * @example
 * ```ts
 * const config = alertmanagerConfig({ webhookUrl: 'http://127.0.0.1:9/hook', bearerToken: 's' });
 * ```
 */
export function alertmanagerConfig(options: AlertmanagerOptions): Record<string, unknown> {
  const receiver =
    'pagerduty' in options
      ? {
          name: 'akmatori',
          pagerduty_configs: [
            {
              send_resolved: true,
              url: options.pagerduty.url,
              routing_key: options.pagerduty.routingKey,
            },
          ],
        }
      : {
          name: 'akmatori',
          webhook_configs: [
            {
              url: options.webhookUrl,
              send_resolved: true,
              http_config: {
                ...(options.bearerToken !== undefined && {
                  authorization: { type: 'Bearer', credentials: options.bearerToken },
                }),
                ...(options.basicAuth !== undefined && { basic_auth: options.basicAuth }),
              },
            },
          ],
        };
  return {
    route: {
      receiver: 'akmatori',
      group_by: options.groupBy ?? ['alertname'],
      group_wait: options.groupWait ?? '1s',
      group_interval: options.groupInterval ?? '1s',
      repeat_interval: options.repeatInterval ?? '1h',
    },
    receivers: [receiver],
    ...(options.inhibitRules !== undefined && { inhibit_rules: options.inhibitRules }),
  };
}

/**
 * Starts Debian's Alertmanager on a free 127.0.0.1 port with clustering off and its storage
 * in a temp dir, and waits for `/-/ready`. Throws "install prometheus-alertmanager" when
 * the binary is missing.
 *
 * @example
 * ```ts
 * const am = await startAlertmanager({ webhookUrl: `${receiver.url}/hook`, bearerToken: 't' });
 * await am.postAlerts([{ labels: { alertname: 'DiskFull' } }]);
 * await am.stop();
 * ```
 */
export async function startAlertmanager(
  options: AlertmanagerOptions,
): Promise<RunningAlertmanager> {
  requireBinary(ALERTMANAGER_BINARY, 'prometheus-alertmanager');
  const dir = makeTempDir('alertmanager');
  const configText = `${JSON.stringify(alertmanagerConfig(options), null, 2)}\n`;
  const configFile = path.join(dir.path, 'alertmanager.yml');
  writeFileSync(configFile, configText);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const peer = startPeerProcess(ALERTMANAGER_BINARY, [
    `--config.file=${configFile}`,
    `--storage.path=${path.join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${url}/`,
    '--cluster.listen-address=',
    '--log.level=debug',
  ]);
  const stop = async (): Promise<void> => {
    await peer.stop();
    dir.remove();
  };
  try {
    await waitForHttpReady(`${url}/-/ready`, peer, 'Alertmanager');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    pid: peer.pid,
    configText,
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!response.ok) {
        throw new Error(
          `Alertmanager refused the alerts: HTTP ${response.status} ${await response.text()}`,
        );
      }
    },
    stop,
  };
}

/**
 * The first line of `prometheus-alertmanager --version`, e.g.
 * `alertmanager, version 0.25.0 (branch: debian/sid, revision: 0.25.0-1+b4)`.
 *
 * @example
 * ```ts
 * const version = alertmanagerVersion();
 * ```
 */
export function alertmanagerVersion(): string {
  requireBinary(ALERTMANAGER_BINARY, 'prometheus-alertmanager');
  const text = execFileSync(ALERTMANAGER_BINARY, ['--version'], { encoding: 'utf8' });
  return text.split('\n')[0]?.trim() ?? '';
}
