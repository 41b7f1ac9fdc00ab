/**
 * An example Akmatori plugin: an alert source for Uptime Kuma's webhook notification. A
 * template for receiving alerts from a sender Akmatori does not know.
 */
import { definePlugin, type AkmatoriPlugin } from '@akmatori/core';
import { uptimeKumaAdapter } from './adapter.js';

export { uptimeKumaAdapter } from './adapter.js';
export { uptimeKumaConfigSchema, type UptimeKumaConfig } from './config.js';

/**
 * The plugin. Load it by package name: `AKMATORI_PLUGINS=@akmatori-examples/uptime-kuma-source`.
 *
 * @example
 * ```ts
 * const host = await createTestHost({ plugins: [uptimeKumaPlugin()] });
 * ```
 */
export default function uptimeKumaPlugin(): AkmatoriPlugin {
  return definePlugin({
    name: '@akmatori-examples/uptime-kuma-source',
    version: '0.1.0',
    coreVersion: '^0.1.0',
    adapters: [uptimeKumaAdapter],
  });
}
