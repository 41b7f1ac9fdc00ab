import type { AddressInfo } from 'node:net';
import type { ResolvedConfig } from '@akmatori/host';

/** A server whose bound address can be read (Node's `http.Server`, Fastify's `server`). */
export interface Listener {
  address(): AddressInfo | string | null;
}

/**
 * The URLs the app hands out (webhook URLs, the MCP URL with gateway tokens, links in Slack,
 * the gateway URL given to runs), read from the servers themselves. Nothing sets them: before
 * a server listens they are as configured; once it listens, a configured port of 0 ("pick a
 * free one") reads as the port actually bound.
 *
 * @example
 * ```ts
 * const urls = new AdvertisedUrls(config, { api: fastify.server, gateway: gateway.server });
 * urls.publicUrl; // 'http://localhost:8080'
 * ```
 */
export class AdvertisedUrls {
  readonly #config: Pick<ResolvedConfig, 'publicUrl' | 'gatewayUrl'>;
  readonly #api: Listener;
  readonly #gateway: Listener | undefined;

  constructor(
    config: Pick<ResolvedConfig, 'publicUrl' | 'gatewayUrl'>,
    listeners: { readonly api: Listener; readonly gateway?: Listener | undefined },
  ) {
    this.#config = config;
    this.#api = listeners.api;
    this.#gateway = listeners.gateway;
  }

  /** Where users and senders reach the API (AKMATORI_PUBLIC_URL). */
  get publicUrl(): string {
    return withBoundPort(this.#config.publicUrl, boundAddress(this.#api)?.port);
  }

  /** Where MCP clients reach the gateway (GATEWAY_URL). */
  get gatewayUrl(): string {
    return withBoundPort(this.#config.gatewayUrl, boundAddress(this.#gateway)?.port);
  }

  /**
   * Where runs reach the gateway: the address this process's gateway listens on, or GATEWAY_URL
   * when the gateway runs elsewhere (or does not listen yet).
   */
  get runGatewayUrl(): string {
    const address = boundAddress(this.#gateway);
    return address === undefined ? this.#config.gatewayUrl : listenerUrl(address);
  }
}

/**
 * `url` with the port it names replaced by `port` when it names port 0 and a port is known;
 * any other URL as it is.
 *
 * @example
 * withBoundPort('http://localhost:0', 40123); // 'http://localhost:40123'
 * withBoundPort('https://akmatori.example.com', 40123); // 'https://akmatori.example.com'
 */
export function withBoundPort(url: string, port: number | undefined): string {
  if (port === undefined) return url;
  const parsed = new URL(url);
  if (parsed.port !== '0') return url;
  parsed.port = String(port);
  return parsed.toString().replace(/\/+$/, '');
}

/**
 * The `http://address:port` a bound address is reached at (IPv6 in brackets).
 *
 * @example
 * listenerUrl({ address: '::1', family: 'IPv6', port: 8081 }); // 'http://[::1]:8081'
 */
export function listenerUrl(address: AddressInfo): string {
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}

function boundAddress(listener: Listener | undefined): AddressInfo | undefined {
  const address = listener?.address();
  return address === null || address === undefined || typeof address === 'string'
    ? undefined
    : address;
}
