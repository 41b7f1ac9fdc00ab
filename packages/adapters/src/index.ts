/**
 * `@akmatori/adapters`: the built-in alert sources, bundled as one plugin the app registers.
 */
import { definePlugin, type AkmatoriPlugin } from '@akmatori/core';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The built-in alert adapters as a plugin. The Alertmanager, Grafana, PagerDuty, Datadog
 * and Zabbix adapters are added here as they are built; until then it contributes none.
 *
 * @example
 * ```ts
 * host.register(builtinAdapters());
 * ```
 */
export function builtinAdapters(): AkmatoriPlugin {
  return definePlugin({ name: '@akmatori/adapters', version, coreVersion: '^0.1.0', adapters: [] });
}
