import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AkmatoriError } from '@akmatori/core';

/** A complete HTTP answer. */
export interface HttpReply {
  readonly status: number;
  readonly statusMessage: string;
  readonly body: string;
}

/** How one request is bounded. */
export interface RequestLimits {
  /** Cancels the request (the tool call was cancelled). */
  readonly signal: AbortSignal;
  /** Whole-request time limit, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes (declared or read). */
  readonly maxBytes: number;
}

/** The calling tool's errors for each way a bounded request fails. */
export interface RequestFailures {
  readonly cancelled: () => AkmatoriError;
  readonly timedOut: () => AkmatoriError;
  readonly tooLarge: () => AkmatoriError;
  /** The connection failed ({@link networkReason} explains it). */
  readonly unreachable: (cause: Error) => AkmatoriError;
}

/** What to send. */
export interface OutgoingRequest {
  readonly method: 'GET' | 'POST';
  readonly agent: HttpAgent;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** TLS error codes that mean "the certificate is not trusted". */
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
 * Why a connection failed, for people: the error's message, its code when the message does
 * not say it, and `certificateHint` when the server's certificate is not trusted.
 *
 * @example
 * ```ts
 * networkReason(error, ': set verify_tls to false only for a server you trust');
 * ```
 */
export function networkReason(error: Error, certificateHint: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const hint = code !== undefined && CERTIFICATE_ERRORS.has(code) ? certificateHint : '';
  const detail = code !== undefined && !error.message.includes(code) ? ` (${code})` : '';
  return `${error.message}${detail}${hint}`;
}

/**
 * Sends one HTTP(S) request and reads the whole answer within `limits`; each way it can fail
 * rejects with the caller's error from `failures`, and the request is destroyed.
 *
 * @example
 * ```ts
 * const reply = await boundedRequest(url, { method: 'GET', agent, headers: {} }, limits, failures);
 * ```
 */
export function boundedRequest(
  url: URL,
  outgoing: OutgoingRequest,
  limits: RequestLimits,
  failures: RequestFailures,
): Promise<HttpReply> {
  if (limits.signal.aborted) return Promise.reject(failures.cancelled());
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
    const failNetwork = (error: Error): void => fail(failures.unreachable(error));
    const onAbort = (): void => fail(failures.cancelled());
    const timer = setTimeout(() => fail(failures.timedOut()), limits.timeoutMs);
    const headers =
      outgoing.body === undefined
        ? outgoing.headers
        : { ...outgoing.headers, 'content-length': String(Buffer.byteLength(outgoing.body)) };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      { method: outgoing.method, agent: outgoing.agent, headers },
      (response: IncomingMessage) => {
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > limits.maxBytes)
          return fail(failures.tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxBytes) fail(failures.tooLarge());
          else chunks.push(chunk);
        });
        response.on('error', failNetwork);
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
    request.on('error', failNetwork);
    limits.signal.addEventListener('abort', onAbort, { once: true });
    request.end(outgoing.body);
  });
}
