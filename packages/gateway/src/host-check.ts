import type { IncomingMessage } from 'node:http';
import { GatewayErrors } from './errors.js';

/**
 * Checks the `Host` header against the names the gateway answers to, so a web page in an
 * operator's browser cannot reach a loopback gateway through DNS rebinding. Entries are
 * host names (any port) or `host:port`; an empty list accepts any host.
 */
export function checkHost(req: IncomingMessage, allowedHosts: readonly string[]): void {
  if (allowedHosts.length === 0) return;
  const host = (req.headers.host ?? '').toLowerCase();
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  const allowed = allowedHosts.some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted === host || wanted === name;
  });
  if (!allowed) throw GatewayErrors.AKM_GATEWAY_HOST_NOT_ALLOWED({ host: host.slice(0, 255) });
}
