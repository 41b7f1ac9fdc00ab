import type { Logger, PluginHost } from '@akmatori/core';
import type { ResolvedConfig } from '@akmatori/host';
import { Gateway, gatewayVersion, type GatewayStore } from '@akmatori/gateway';
import { listenOrExplain } from '../server/port-in-use.js';

/** A listening gateway. */
export interface RunningGateway {
  /** The URL it listens on (the configured port, or the one picked for port 0). */
  readonly url: string;
  /** Closes its MCP sessions and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts the MCP gateway with the configured bind address, host allowlist and timeouts.
 * `akmatori serve` calls it in-process (the embedded database is one process's); `akmatori
 * gateway` calls it on its own, with its restricted database role.
 */
export async function startGateway(options: {
  config: ResolvedConfig;
  store: GatewayStore;
  plugins: Pick<PluginHost, 'toolProvider'>;
  log: Logger;
}): Promise<RunningGateway> {
  const { config } = options;
  const log = options.log.child({ component: 'gateway' });
  const gateway = new Gateway({
    store: options.store,
    plugins: options.plugins,
    log,
    version: gatewayVersion,
    allowedHosts: config.gatewayAllowedHosts,
    approvalTimeoutMs: config.approvalTimeoutSeconds * 1000,
    callTimeoutMs: config.toolCallTimeoutSeconds * 1000,
  });
  let url: string;
  try {
    url = await listenOrExplain(() => gateway.listen(config.gatewayPort, config.gatewayHost), {
      what: 'the MCP gateway',
      host: config.gatewayHost,
      port: config.gatewayPort,
      setting: 'GATEWAY_PORT',
    });
  } catch (error) {
    await gateway.close().catch(() => {});
    throw error;
  }
  log.info({ url, mcp: `${url}/mcp` }, 'gateway listening');
  return { url, close: () => gateway.close() };
}
