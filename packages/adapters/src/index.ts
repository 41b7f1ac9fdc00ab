/**
 * `@akmatori/adapters`: the built-in alert sources, bundled as one plugin the app registers.
 */
import { definePlugin, type AkmatoriPlugin } from '@akmatori/core';
import { createRequire } from 'node:module';
import { alertmanagerAdapter } from './alertmanager/adapter.js';
import { datadogAdapter } from './datadog/adapter.js';
import { grafanaAdapter } from './grafana/adapter.js';
import { pagerdutyAdapter } from './pagerduty/adapter.js';
import { zabbixAdapter } from './zabbix/adapter.js';

export { alertmanagerAdapter } from './alertmanager/adapter.js';
export { datadogAdapter } from './datadog/adapter.js';
export { grafanaAdapter } from './grafana/adapter.js';
export type { GrafanaConfig } from './grafana/config.js';
export { pagerdutyAdapter } from './pagerduty/adapter.js';
export { zabbixAdapter } from './zabbix/adapter.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The built-in alert adapters as a plugin: Alertmanager, Grafana, PagerDuty, Datadog and
 * Zabbix.
 *
 * @example
 * ```ts
 * host.register(builtinAdapters());
 * ```
 */
export function builtinAdapters(): AkmatoriPlugin {
  return definePlugin({
    name: '@akmatori/adapters',
    version,
    coreVersion: '^0.1.0',
    adapters: [
      alertmanagerAdapter,
      grafanaAdapter,
      pagerdutyAdapter,
      datadogAdapter,
      zabbixAdapter,
    ],
  });
}
