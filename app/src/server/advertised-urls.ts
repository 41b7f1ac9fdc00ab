import type { ResolvedConfig } from '@akmatori/host';

/**
 * The URLs the app hands out (webhook URLs, the MCP URL with gateway tokens, links in Slack).
 * They start as configured and are corrected once the servers listen: a configured port of 0
 * ("pick a free one") becomes the port actually bound.
 */
export interface AdvertisedUrls {
  /** Where users and senders reach the API (AKMATORI_PUBLIC_URL). */
  publicUrl: string;
  /** Where MCP clients reach the gateway (GATEWAY_URL). */
  gatewayUrl: string;
}

/**
 * The URLs as configured, before anything listens.
 *
 * @example
 * advertisedUrls(config).publicUrl; // 'http://localhost:8080'
 */
export function advertisedUrls(config: ResolvedConfig): AdvertisedUrls {
  return { publicUrl: config.publicUrl, gatewayUrl: config.gatewayUrl };
}

/**
 * `url` with the port it names replaced by `port` when it names port 0; any other URL as it is.
 *
 * @example
 * withBoundPort('http://localhost:0', 40123); // 'http://localhost:40123'
 * withBoundPort('https://akmatori.example.com', 40123); // 'https://akmatori.example.com'
 */
export function withBoundPort(url: string, port: number): string {
  const parsed = new URL(url);
  if (parsed.port !== '0') return url;
  parsed.port = String(port);
  return parsed.toString().replace(/\/+$/, '');
}

/** The port of a listening server's URL, such as the one `listen` resolves with. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}
