import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  freePort,
  requireBinary,
  startPeerProcess,
  waitForHttpReady,
  type PeerProcess,
} from '../prometheus/peer-process.js';

/** Debian's Alertmanager (package `prometheus-alertmanager`, 0.25 on Debian 12). */
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

/** A running Alertmanager. */
export interface AlertmanagerProcess {
  /** Base URL, also its `--web.external-url`. */
  readonly url: string;
  readonly peer: PeerProcess;
}

/**
 * Starts Alertmanager on a free 127.0.0.1 port with its files under `dir`, clustering off,
 * one receiver that notifies nobody (the harness reads its API; Akmatori gets the scenario's
 * alert files), and `inhibitRules`.
 *
 * @example
 * ```ts
 * const am = await startAlertmanagerProcess(path.join(workDir, 'alertmanager'), []);
 * await am.peer.stop();
 * ```
 */
export async function startAlertmanagerProcess(
  dir: string,
  inhibitRules: readonly Readonly<Record<string, unknown>>[],
): Promise<AlertmanagerProcess> {
  requireBinary(ALERTMANAGER_BINARY, 'prometheus-alertmanager');
  await mkdir(dir, { recursive: true });
  const config = {
    route: {
      receiver: 'default',
      group_by: ['alertname'],
      group_wait: '1s',
      group_interval: '5m',
      repeat_interval: '24h',
    },
    receivers: [{ name: 'default' }],
    inhibit_rules: inhibitRules,
  };
  const configFile = path.join(dir, 'alertmanager.yml');
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const peer = startPeerProcess(ALERTMANAGER_BINARY, [
    `--config.file=${configFile}`,
    `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${url}/`,
    '--cluster.listen-address=',
  ]);
  try {
    await waitForHttpReady(`${url}/-/ready`, peer, 'Alertmanager');
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return { url, peer };
}
