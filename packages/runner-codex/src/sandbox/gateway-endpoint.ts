import { isIP } from 'node:net';
import { CodexRunnerErrors } from '../errors.js';

/** Where the gateway is, seen from both sides of the agent sandbox. */
export interface GatewayEndpoint {
  /** Host the worker connects to (outside the sandbox). */
  readonly host: string;
  /** TCP port of the gateway, also the port the relay inside the sandbox listens on. */
  readonly port: number;
  /** Loopback address the relay inside the sandbox listens on. */
  readonly listenAddress: string;
  /** Host name that must resolve to {@link listenAddress} inside the sandbox, if the URL names one. */
  readonly hostName: string | undefined;
}

/** Ports below this need a privilege the agent sandbox does not have. */
const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * Works out how the agent sandbox reaches the gateway at `gatewayUrl`. The sandbox has only a
 * loopback network: a relay inside listens on the gateway's port on loopback and carries each
 * connection, bytes unchanged (TLS included), through a socket to the worker, which connects to
 * the real gateway. A host name is made to resolve to loopback inside; an IP address must
 * already be a loopback one. Throws `AKM_CODEX_GATEWAY_URL_INVALID` saying what to change otherwise.
 *
 * @example
 * ```ts
 * gatewayEndpoint('http://gateway:8081'); // { host: 'gateway', port: 8081, listenAddress: '127.0.0.1', hostName: 'gateway' }
 * ```
 */
export function gatewayEndpoint(gatewayUrl: string): GatewayEndpoint {
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    throw CodexRunnerErrors.AKM_CODEX_GATEWAY_URL_INVALID({
      gatewayUrl: JSON.stringify(gatewayUrl),
      problem: 'is not a URL',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw CodexRunnerErrors.AKM_CODEX_GATEWAY_URL_INVALID({
      gatewayUrl,
      problem: 'must be http(s)://host:port',
    });
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (port < FIRST_UNPRIVILEGED_PORT) {
    throw CodexRunnerErrors.AKM_CODEX_GATEWAY_URL_INVALID({
      gatewayUrl,
      problem: `uses port ${port}: the agent sandbox can only reach a gateway on a port from ${FIRST_UNPRIVILEGED_PORT} up (set GATEWAY_URL with an explicit port, or run the worker in its container)`,
    });
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const family = isIP(host);
  if (family === 0) return { host, port, listenAddress: '127.0.0.1', hostName: host };
  if ((family === 4 && host.startsWith('127.')) || (family === 6 && host === '::1')) {
    return { host, port, listenAddress: host, hostName: undefined };
  }
  throw CodexRunnerErrors.AKM_CODEX_GATEWAY_URL_INVALID({
    gatewayUrl,
    problem: `names the address ${host}: inside the agent sandbox only loopback exists, so give GATEWAY_URL a host name (an /etc/hosts entry will do) or run the worker in its container`,
  });
}
