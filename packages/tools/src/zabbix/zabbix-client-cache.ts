import { createHash } from 'node:crypto';
import { createZabbixClient, type ZabbixClient } from './zabbix-client.js';
import type { ZabbixCredentials } from './zabbix-credentials.js';

const cachedClients = new Map<string, ZabbixClient>();
const MAX_CACHED_CLIENTS = 32;

/**
 * The client for these credentials, shared between calls so the version is asked once and a
 * login session is reused (the most recently used 32 are kept).
 *
 * @example
 * ```ts
 * const hosts = await zabbixClientFor(context.credentials).call('host.get', {}, context.signal);
 * ```
 */
export function zabbixClientFor(credentials: ZabbixCredentials): ZabbixClient {
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        credentials.api_url,
        credentials.api_token ?? null,
        credentials.username ?? null,
        credentials.password ?? null,
        credentials.verify_tls !== false,
      ]),
    )
    .digest('hex');
  let client = cachedClients.get(key);
  if (client !== undefined) cachedClients.delete(key);
  client ??= createZabbixClient(credentials);
  cachedClients.set(key, client);
  for (const oldest of cachedClients.keys()) {
    if (cachedClients.size <= MAX_CACHED_CLIENTS) break;
    cachedClients.delete(oldest);
  }
  return client;
}
