import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AkmatoriError } from '@akmatori/core';
import { ZabbixErrors } from './zabbix-errors.js';

/** How one POST is bounded. */
export interface HttpPostLimits {
  /** Cancels the request (the tool call was cancelled). */
  readonly signal: AbortSignal;
  /** Whole-request time limit, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
}

/** A complete HTTP answer. */
export interface HttpReply {
  readonly status: number;
  readonly statusMessage: string;
  readonly body: string;
}

/** TLS error codes that mean "the certificate is not trusted", to explain `verify_tls`. */
const CERTIFICATE_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

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
  const cancelled = (): AkmatoriError => ZabbixErrors.AKM_ZABBIX_CANCELLED({ where });
  if (limits.signal.aborted) return Promise.reject(cancelled());
  return new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: AkmatoriError): void =>
      finish(() => {
        request.destroy();
        reject(error);
      });
    const onAbort = (): void => fail(cancelled());
    const timer = setTimeout(
      () => fail(ZabbixErrors.AKM_ZABBIX_TIMEOUT({ where, seconds: limits.timeoutMs / 1000 })),
      limits.timeoutMs,
    );
    const tooLarge = (): AkmatoriError =>
      ZabbixErrors.AKM_ZABBIX_TOO_LARGE({ where, limit: formatBytes(limits.maxBytes) });
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response: IncomingMessage) => {
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > limits.maxBytes) return fail(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxBytes) fail(tooLarge());
          else chunks.push(chunk);
        });
        response.on('error', (error) => fail(networkError(where, error)));
        response.on('end', () =>
          finish(() =>
            resolve({
              status: response.statusCode ?? 0,
              statusMessage: response.statusMessage ?? '',
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          ),
        );
      },
    );
    request.on('error', (error) => fail(networkError(where, error)));
    limits.signal.addEventListener('abort', onAbort, { once: true });
    request.end(body);
  });
}

function networkError(where: string, error: Error): AkmatoriError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint =
    code !== undefined && CERTIFICATE_ERRORS.has(code)
      ? ": the server's TLS certificate is not trusted (set verify_tls to false only for a server you trust)"
      : '';
  const detail = code !== undefined && !error.message.includes(code) ? ` (${code})` : '';
  return ZabbixErrors.AKM_ZABBIX_UNREACHABLE(
    { where, reason: `${error.message}${detail}${hint}` },
    { cause: error },
  );
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
