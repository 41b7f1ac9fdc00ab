/**
 * An example Akmatori plugin: an alert source for Uptime Kuma's webhook notification. A
 * template for receiving alerts from a sender Akmatori does not know.
 */
import { type AkmatoriPlugin } from '@akmatori/core';
export { uptimeKumaAdapter } from './adapter.js';
export type { UptimeKumaConfig } from './parse.js';
/**
 * The plugin. Load it by package name: `AKMATORI_PLUGINS=@akmatori-examples/uptime-kuma-source`.
 *
 * @example
 * ```ts
 * const host = await createTestHost({ plugins: [uptimeKumaPlugin()] });
 * ```
 */
export default function uptimeKumaPlugin(): AkmatoriPlugin;
//# sourceMappingURL=index.d.ts.map