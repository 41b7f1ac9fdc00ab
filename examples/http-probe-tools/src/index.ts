/**
 * An example Akmatori plugin: a tool provider whose read-only tools probe an allow-list of URLs
 * (status, latency, TLS certificate expiry). A template for giving the agent a tool of your own.
 */
import { definePlugin, type AkmatoriPlugin } from '@akmatori/core';
import { httpProbeTools } from './provider.js';

export {
  httpProbeCredentialSchema,
  httpProbeTools,
  type HttpProbeCredentials,
} from './provider.js';
export { probeUrl, type ProbeOptions, type ProbeReport } from './probe.js';

/**
 * The plugin. Load it by package name: `AKMATORI_PLUGINS=@akmatori-examples/http-probe-tools`.
 *
 * @example
 * ```ts
 * const plugin = httpProbePlugin(); // plugin.tools[0].id === 'http-probe'
 * ```
 */
export default function httpProbePlugin(): AkmatoriPlugin {
  return definePlugin({
    name: '@akmatori-examples/http-probe-tools',
    version: '0.1.0',
    coreVersion: '^0.1.0',
    tools: [httpProbeTools],
  });
}
