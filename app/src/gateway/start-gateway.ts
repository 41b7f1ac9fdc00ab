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

/** What the gateway is built from. */
export interface GatewayDeps {
  readonly config: ResolvedConfig;
  readonly store: GatewayStore;
  readonly plugins: Pick<PluginHost, 'toolProvider'>;
  readonly log: Logger;
}

/**
 * The MCP gateway with the configured host allowlist and timeouts, not yet listening. The
 * app's container builds the in-process one with it (`AppTokens.Gateway`).
 *
 * @example
 * ```ts
 * const gateway = createGateway({ config, store, plugins, log });
 * const url = await listenGateway(gateway, config, log);
 * ```
 */
export function createGateway(deps: GatewayDeps): Gateway {
  const { config } = deps;
  return new Gateway({
    store: deps.store,
    plugins: deps.plugins,
    log: deps.log.child({ component: 'gateway' }),
    version: gatewayVersion,
    allowedHosts: config.gatewayAllowedHosts,
    approvalTimeoutMs: config.approvalTimeoutSeconds * 1000,
    callTimeoutMs: config.toolCallTimeoutSeconds * 1000,
  });
}

/**
 * Makes `gateway` listen on the configured bind address; a port in use becomes
 * `AKM_PORT_IN_USE`. Resolves with the URL it listens on.
 *
 * @example
 * ```ts
 * const url = await listenGateway(gateway, config, log); // 'http://127.0.0.1:8081'
 * ```
 */
export async function listenGateway(
  gateway: Gateway,
  config: ResolvedConfig,
  log: Logger,
): Promise<string> {
  const url = await listenOrExplain(() => gateway.listen(config.gatewayPort, config.gatewayHost), {
    what: 'the MCP gateway',
    host: config.gatewayHost,
    port: config.gatewayPort,
    setting: 'GATEWAY_PORT',
  });
  log.child({ component: 'gateway' }).info({ url, mcp: `${url}/mcp` }, 'gateway listening');
  return url;
}

/**
 * Builds the MCP gateway and makes it listen. `akmatori gateway` runs it on its own, with its
 * restricted database role; `akmatori serve` runs the container's in-process one instead.
 */
export async function startGateway(deps: GatewayDeps): Promise<RunningGateway> {
  const gateway = createGateway(deps);
  let url: string;
  try {
    url = await listenGateway(gateway, deps.config, deps.log);
  } catch (error) {
    await gateway.close().catch(() => {});
    throw error;
  }
  return { url, close: () => gateway.close() };
}
