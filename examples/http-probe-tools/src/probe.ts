/**
 * One HTTP(S) GET, measured: status, time to the response headers, and the server's TLS
 * certificate. Redirects are not followed (a redirect could lead off the allow-list) and the
 * body is not read.
 */
import http from 'node:http';
import https from 'node:https';
import { rootCertificates, type TLSSocket } from 'node:tls';

/** What a probe found out about one URL. */
export interface ProbeReport {
  readonly url: string;
  /** True for a 2xx or 3xx answer. */
  readonly ok: boolean;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** Milliseconds from the request to the response headers. */
  readonly latency_ms?: number;
  /** Where a 3xx answer points (not followed). */
  readonly location?: string;
  /** The server's certificate, for HTTPS. */
  readonly tls?: {
    readonly subject: string;
    readonly issuer: string;
    readonly valid_to: string;
    readonly days_left: number;
  };
  /** Why there is no answer: refused connection, timeout, TLS failure... */
  readonly error?: string;
}

/** How to probe. */
export interface ProbeOptions {
  readonly timeoutMs: number;
  readonly bearerToken?: string;
  /** PEM CA certificates trusted besides the system roots. */
  readonly ca?: string;
  readonly signal: AbortSignal;
  readonly now: () => Date;
}

/**
 * Probes one URL; never throws (a failure is in the report's `error`).
 *
 * @example
 * ```ts
 * const report = await probeUrl('https://example.com/health', options);
 * ```
 */
export function probeUrl(url: string, options: ProbeOptions): Promise<ProbeReport> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const started = performance.now();
  return new Promise((resolve) => {
    const request = client.request(
      target,
      {
        method: 'GET',
        headers: {
          'user-agent': 'akmatori-http-probe/0.1',
          ...(options.bearerToken === undefined
            ? {}
            : { authorization: `Bearer ${options.bearerToken}` }),
        },
        timeout: options.timeoutMs,
        signal: options.signal,
        ...(target.protocol === 'https:' && options.ca !== undefined
          ? { ca: [...rootCertificates, options.ca] }
          : {}),
        agent: false,
      },
      (response) => {
        const latency = Math.round(performance.now() - started);
        const tls = certificateOf(response.socket as TLSSocket, options.now());
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        response.destroy();
        resolve({
          url,
          ok: status >= 200 && status < 400,
          status,
          latency_ms: latency,
          ...(location === undefined ? {} : { location }),
          ...(tls === undefined ? {} : { tls }),
        });
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        url,
        ok: false,
        error: error.code ? `${error.code}: ${error.message}` : error.message,
      }),
    );
    request.end();
  });
}

function certificateOf(socket: TLSSocket, now: Date): ProbeReport['tls'] {
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const certificate = socket.getPeerCertificate();
  if (certificate === null || certificate.valid_to === undefined) return undefined;
  const validTo = new Date(certificate.valid_to);
  return {
    subject: String(certificate.subject?.CN ?? ''),
    issuer: String(certificate.issuer?.CN ?? ''),
    valid_to: validTo.toISOString(),
    days_left: Math.floor((validTo.getTime() - now.getTime()) / 86_400_000),
  };
}
