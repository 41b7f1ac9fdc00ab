import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeTempDir, requireBinary } from '@akmatori/test-support/peers/process';

/** One JSON-RPC request the fake received. */
export interface FakeZabbixRequest {
  readonly method: string;
  readonly authorization: string | undefined;
  /** Whether the body had an `auth` field. */
  readonly bodyAuth: boolean;
  readonly body: Record<string, unknown>;
}

/** How the fake answers; the default speaks Zabbix 7.2's API. */
export interface FakeZabbixOptions {
  /** What `apiinfo.version` returns; default `7.2.0`. */
  readonly version?: string;
  /** The API token it accepts in `Authorization: Bearer`. */
  readonly token?: string;
  /** The user `user.login` accepts, as `[username, password]`. */
  readonly user?: readonly [string, string];
  /** Results of authenticated methods, by method; others answer "Method not found.". */
  readonly results?: Readonly<Record<string, unknown>>;
  /** Replaces every answer with this raw HTTP reply (for transport failures). */
  readonly raw?: { status: number; contentType: string; body: string };
  /** Never answers (for timeouts and cancellation). */
  readonly silent?: boolean;
  /** Serves HTTPS with this certificate and key (PEM). */
  readonly tls?: { cert: string; key: string };
}

/** A local stand-in for a Zabbix frontend's `api_jsonrpc.php`. */
export interface FakeZabbix {
  /** `http(s)://127.0.0.1:PORT/api_jsonrpc.php`. */
  readonly url: string;
  readonly requests: readonly FakeZabbixRequest[];
  /** Ends every session, as a logout or autologout does. */
  endSessions(): void;
  stop(): Promise<void>;
}

const AUTH_FIELD_REMOVED = {
  code: -32600,
  message: 'Invalid request.',
  data: 'Invalid parameter "/": unexpected parameter "auth".',
};
const NOT_AUTHORIZED = { code: -32602, message: 'Invalid params.', data: 'Not authorized.' };
const SESSION_TERMINATED = {
  code: -32602,
  message: 'Invalid params.',
  data: 'Session terminated, re-login, please.',
};
const BAD_LOGIN = {
  code: -32500,
  message: 'Application error.',
  data: 'Incorrect user name or password or account is temporarily blocked.',
};

/**
 * Starts a fake Zabbix API on 127.0.0.1 that behaves like 7.2 and later: credentials only in
 * `Authorization: Bearer` (a body `auth` field gets 7.2's "unexpected parameter" error),
 * `user.login` with `username`, and the JSON-RPC errors of the real frontend.
 *
 * @example
 * ```ts
 * const zabbix = await startFakeZabbix({ token: 't0k3n', results: { 'host.get': [] } });
 * ```
 */
export async function startFakeZabbix(options: FakeZabbixOptions = {}): Promise<FakeZabbix> {
  const requests: FakeZabbixRequest[] = [];
  const sessions = new Set<string>();
  const ended = new Set<string>();
  const answer = (request: Record<string, unknown>, authorization: string | undefined): object => {
    const reply = (body: object): object => ({ jsonrpc: '2.0', ...body, id: request.id });
    if ('auth' in request) return reply({ error: AUTH_FIELD_REMOVED });
    const method = String(request.method);
    const params = (request.params ?? {}) as Record<string, unknown>;
    if (method === 'apiinfo.version') return reply({ result: options.version ?? '7.2.0' });
    if (method === 'user.login') {
      const [username, password] = options.user ?? [];
      if (params.username !== username || params.password !== password) {
        return reply({ error: BAD_LOGIN });
      }
      const session = randomBytes(16).toString('hex');
      sessions.add(session);
      return reply({ result: session });
    }
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (bearer !== undefined && ended.has(bearer)) return reply({ error: SESSION_TERMINATED });
    if (bearer === undefined || (bearer !== options.token && !sessions.has(bearer))) {
      return reply({ error: NOT_AUTHORIZED });
    }
    if (options.results !== undefined && method in options.results) {
      return reply({ result: options.results[method] });
    }
    const api = method.split('.')[0];
    return reply({
      error: { code: -32601, message: 'Method not found.', data: `Incorrect API "${api}".` },
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const authorization = req.headers.authorization;
      requests.push({ method: String(body.method), authorization, bodyAuth: 'auth' in body, body });
      if (options.silent === true) return;
      if (options.raw !== undefined) {
        res.writeHead(options.raw.status, { 'content-type': options.raw.contentType });
        res.end(options.raw.body);
        return;
      }
      if (!/^application\/json(-rpc)?/.test(req.headers['content-type'] ?? '')) {
        res.writeHead(412, 'Precondition Failed');
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(body, authorization)));
    });
  };

  const server =
    options.tls === undefined ? createHttpServer(handle) : createHttpsServer(options.tls, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls === undefined ? 'http' : 'https';
  return {
    url: `${scheme}://127.0.0.1:${port}/api_jsonrpc.php`,
    requests,
    endSessions() {
      for (const session of sessions) ended.add(session);
      sessions.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A self-signed certificate for 127.0.0.1, made with `openssl req -x509` in a temp dir.
 *
 * @example
 * ```ts
 * const zabbix = await startFakeZabbix({ tls: selfSignedCertificate(), token });
 * ```
 */
export function selfSignedCertificate(): { cert: string; key: string } {
  requireBinary('/usr/bin/openssl', 'openssl');
  const dir = makeTempDir('zabbix-tls');
  try {
    const key = path.join(dir.path, 'key.pem');
    const cert = path.join(dir.path, 'cert.pem');
    execFileSync(
      '/usr/bin/openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
        ...['-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'pipe' },
    );
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    dir.remove();
  }
}
