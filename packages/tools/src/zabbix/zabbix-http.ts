import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  boundedRequest,
  networkReason,
  type HttpReply,
  type RequestLimits,
} from '../http/bounded-request.js';
import { ZabbixErrors } from './zabbix-errors.js';

export type { HttpReply } from '../http/bounded-request.js';

/** How one POST is bounded. */
export type HttpPostLimits = RequestLimits;

/**
 * An HTTP(S) agent for one API URL. With `verifyTls` false it accepts any server
 * certificate, for this agent's connections only.
 *
 * @example
 * ```ts
 * const agent = zabbixAgent(new URL('https://zabbix.local/api_jsonrpc.php'), false);
 * ```
 */
export function zabbixAgent(url: URL, verifyTls: boolean): HttpAgent {
  return url.protocol === 'https:'
    ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: verifyTls })
    : new HttpAgent({ keepAlive: true });
}

/** `url` without credentials, query or fragment, for error messages. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * POSTs `body` to `url` and reads the whole answer, within the limits: rejects with a
 * `AKM_ZABBIX_TIMEOUT`, `AKM_ZABBIX_CANCELLED`, `AKM_ZABBIX_TOO_LARGE` or `AKM_ZABBIX_UNREACHABLE` (see {@link ZabbixErrors}).
 *
 * @example
 * ```ts
 * const reply = await postJson(url, agent, '{"jsonrpc":"2.0",...}', {}, limits);
 * ```
 */
export function postJson(
  url: URL,
  agent: HttpAgent,
  body: string,
  headers: Readonly<Record<string, string>>,
  limits: HttpPostLimits,
): Promise<HttpReply> {
  const where = displayUrl(url);
  return boundedRequest(url, { method: 'POST', agent, headers, body }, limits, {
    cancelled: () => ZabbixErrors.AKM_ZABBIX_CANCELLED({ where }),
    timedOut: () => ZabbixErrors.AKM_ZABBIX_TIMEOUT({ where, seconds: limits.timeoutMs / 1000 }),
    tooLarge: () =>
      ZabbixErrors.AKM_ZABBIX_TOO_LARGE({ where, limit: formatBytes(limits.maxBytes) }),
    unreachable: (error) =>
      ZabbixErrors.AKM_ZABBIX_UNREACHABLE(
        {
          where,
          reason: networkReason(
            error,
            ": the server's TLS certificate is not trusted (set verify_tls to false only for a server you trust)",
          ),
        },
        { cause: error },
      ),
  });
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
