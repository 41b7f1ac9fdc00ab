import type { ToolResult } from '@akmatori/core';
import { createToolContext } from '@akmatori/core/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createZabbixClient } from '../src/zabbix/zabbix-client.js';
import type { ZabbixCredentials } from '../src/zabbix/zabbix-credentials.js';
import { isZabbixError } from '../src/zabbix/zabbix-errors.js';
import type { AkmatoriError } from '@akmatori/core';
import { zabbixTools } from '../src/zabbix/zabbix-tools.js';
import {
  selfSignedCertificate,
  startFakeZabbix,
  type FakeZabbix,
  type FakeZabbixOptions,
} from './zabbix-fake.js';

// The client's transport and authentication against local fakes of the Zabbix API: what the
// real Zabbix 6.0 of zabbix-tools.test.ts cannot show (the 6.4+ Authorization header, TLS,
// broken servers).

const TOKEN = 'a'.repeat(40) + 'c0ffee' + 'b'.repeat(18);
const HOSTS = [{ hostid: '10084', host: 'web-1', name: 'Web 1', status: '0' }];

const started: FakeZabbix[] = [];
afterEach(async () => {
  for (const fake of started.splice(0)) await fake.stop();
});

async function fake(options: FakeZabbixOptions): Promise<FakeZabbix> {
  const zabbix = await startFakeZabbix(options);
  started.push(zabbix);
  return zabbix;
}

function apiRequest(
  credentials: ZabbixCredentials,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const tool = zabbixTools.tools.find((t) => t.name === 'api_request')!;
  return tool.execute(createToolContext(credentials, signal && { signal }), args);
}

/** The error a direct client call rejects with. */
async function failure(promise: Promise<unknown>): Promise<AkmatoriError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(
    isZabbixError(error),
    `the call should have failed with a Zabbix error: ${String(error)}`,
  ).toBe(true);
  return error as AkmatoriError;
}

const never = new AbortController().signal;

describe('Zabbix 6.4+ header path (fake Zabbix 7.2 API that only reads Authorization: Bearer)', () => {
  it('sends the API token as Authorization: Bearer and never in the body', async () => {
    const zabbix = await fake({ token: TOKEN, results: { 'host.get': HOSTS } });
    const result = await apiRequest(
      { api_url: zabbix.url, api_token: TOKEN },
      { method: 'host.get', params: { output: ['host'] } },
    );
    expect(result.isError, result.text).toBeFalsy();
    expect(result.structured).toEqual({ result: HOSTS });
    expect(zabbix.requests.map((r) => [r.method, r.authorization, r.bodyAuth])).toEqual([
      ['apiinfo.version', undefined, false],
      ['host.get', `Bearer ${TOKEN}`, false],
    ]);
  });

  it('logs in with username and sends the session as Authorization: Bearer', async () => {
    const zabbix = await fake({ user: ['agent', 's3cret-pass'], results: { 'host.get': HOSTS } });
    const client = createZabbixClient({
      api_url: zabbix.url,
      username: 'agent',
      password: 's3cret-pass',
    });
    await expect(client.call('host.get', {}, never)).resolves.toEqual(HOSTS);
    const [, login, call] = zabbix.requests;
    expect(login?.body.params).toEqual({ username: 'agent', password: 's3cret-pass' });
    expect(call?.authorization).toMatch(/^Bearer [0-9a-f]{32}$/);
    expect(call?.bodyAuth).toBe(false);
  });

  it('logs in once more when Zabbix has ended the session, then carries on', async () => {
    const zabbix = await fake({ user: ['agent', 'pw-1234'], results: { 'host.get': HOSTS } });
    const client = createZabbixClient({
      api_url: zabbix.url,
      username: 'agent',
      password: 'pw-1234',
    });
    await client.call('host.get', {}, never);
    zabbix.endSessions();
    await expect(client.call('host.get', {}, never)).resolves.toEqual(HOSTS);
    await client.call('host.get', {}, never);
    expect(zabbix.requests.map((r) => r.method)).toEqual([
      'apiinfo.version',
      'user.login',
      'host.get',
      'host.get', // "Session terminated, re-login, please."
      'user.login',
      'host.get',
      'host.get',
    ]);
  });

  it('asks apiinfo.version once per client', async () => {
    const zabbix = await fake({ token: TOKEN, results: { 'host.get': [] } });
    const client = createZabbixClient({ api_url: zabbix.url, api_token: TOKEN });
    await client.call('host.get', {}, never);
    await client.call('host.get', {}, never);
    expect(zabbix.requests.filter((r) => r.method === 'apiinfo.version')).toHaveLength(1);
  });
});

describe('Zabbix client errors', () => {
  it('a refused api_request sends nothing to Zabbix', async () => {
    const zabbix = await fake({ token: TOKEN });
    for (const method of ['host.delete', 'user.update', 'user.login', 'host.create', 'HOST.GET']) {
      const result = await apiRequest({ api_url: zabbix.url, api_token: TOKEN }, { method });
      expect(result, method).toMatchObject({ refused: true, isError: true });
    }
    expect(zabbix.requests).toEqual([]);
  });

  it('a wrong token is a clear error without the token', async () => {
    const zabbix = await fake({ token: TOKEN });
    const wrong = 'f'.repeat(64);
    const result = await apiRequest(
      { api_url: zabbix.url, api_token: wrong },
      { method: 'host.get' },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      'Zabbix API host.get failed: Invalid params. Not authorized. Zabbix did not accept the API token: check api_token (it may be wrong, expired or disabled).',
    );
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('masks the token when a server echoes it in an error', async () => {
    const zabbix = await fake({
      raw: { status: 502, contentType: 'text/plain', body: `bad gateway for token ${TOKEN}` },
    });
    const result = await apiRequest(
      { api_url: zabbix.url, api_token: TOKEN },
      { method: 'host.get' },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain('answered HTTP 502');
    expect(result.text).toContain('bad gateway for token [secret scrubbed]');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('an HTTP error status is reported with the status and the start of the body', async () => {
    const zabbix = await fake({
      raw: { status: 404, contentType: 'text/html', body: '<h1>Not Found</h1>' },
    });
    const error = await failure(
      createZabbixClient({ api_url: zabbix.url, api_token: TOKEN }).call('host.get', {}, never),
    );
    expect(error.code).toBe('AKM_ZABBIX_HTTP_STATUS');
    expect(error.message).toBe(
      `Zabbix API apiinfo.version: ${zabbix.url} answered HTTP 404 Not Found: <h1>Not Found</h1>`,
    );
  });

  it('a body that is not JSON-RPC is reported as such', async () => {
    const zabbix = await fake({
      raw: { status: 200, contentType: 'text/html', body: '<html>Zabbix login</html>' },
    });
    const error = await failure(
      createZabbixClient({ api_url: zabbix.url, api_token: TOKEN }).call('host.get', {}, never),
    );
    expect(error.code).toBe('AKM_ZABBIX_NOT_JSON_RPC');
    expect(error.message).toContain(
      'did not answer with JSON-RPC (is api_url the api_jsonrpc.php endpoint?)',
    );
  });

  it('an answer over the size cap is refused', async () => {
    const zabbix = await fake({
      token: TOKEN,
      results: { 'history.get': 'x'.repeat(5 * 1024 * 1024) },
    });
    const result = await apiRequest(
      { api_url: zabbix.url, api_token: TOKEN },
      { method: 'history.get' },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain('is larger than 4 MiB');
  });

  it('a server that does not answer in time gives a timeout error', async () => {
    const zabbix = await fake({ silent: true });
    const client = createZabbixClient(
      { api_url: zabbix.url, api_token: TOKEN },
      { timeoutMs: 300 },
    );
    const error = await failure(client.call('host.get', {}, never));
    expect(error.code).toBe('AKM_ZABBIX_TIMEOUT');
    expect(error.message).toBe(`no complete answer from ${zabbix.url} within 0.3 s`);
  });

  it('a cancelled tool call stops waiting for Zabbix', async () => {
    const zabbix = await fake({ silent: true });
    const cancel = new AbortController();
    const pending = apiRequest(
      { api_url: zabbix.url, api_token: TOKEN },
      { method: 'host.get' },
      cancel.signal,
    );
    await expect.poll(() => zabbix.requests.length).toBe(1);
    cancel.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.text).toBe(`the call to ${zabbix.url} was cancelled`);
  });

  it('an unreachable server is a network error naming the URL', async () => {
    const zabbix = await fake({});
    await zabbix.stop();
    const error = await failure(
      createZabbixClient({ api_url: zabbix.url, api_token: TOKEN }).call('host.get', {}, never),
    );
    expect(error.code).toBe('AKM_ZABBIX_UNREACHABLE');
    expect(error.message).toContain(`could not reach ${zabbix.url}: `);
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('verify_tls (fake Zabbix over HTTPS with a self-signed certificate)', () => {
  let certificate: { cert: string; key: string };
  beforeAll(() => {
    certificate = selfSignedCertificate();
  });

  it('verify_tls false accepts the self-signed certificate', async () => {
    const zabbix = await fake({ tls: certificate, token: TOKEN, results: { 'host.get': HOSTS } });
    const result = await apiRequest(
      { api_url: zabbix.url, api_token: TOKEN, verify_tls: false },
      { method: 'host.get' },
    );
    expect(result.isError, result.text).toBeFalsy();
    expect(result.structured).toEqual({ result: HOSTS });
  });

  it('verify_tls true (the default) refuses it and says why', async () => {
    const zabbix = await fake({ tls: certificate, token: TOKEN, results: { 'host.get': HOSTS } });
    const result = await apiRequest(
      { api_url: zabbix.url, api_token: TOKEN },
      { method: 'host.get' },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`could not reach ${zabbix.url}: self-signed certificate`);
    expect(result.text).toContain("the server's TLS certificate is not trusted");
    expect(zabbix.requests).toEqual([]);
  });

  it('verify_tls false on one client leaves other clients verifying', async () => {
    const zabbix = await fake({ tls: certificate, token: TOKEN, results: { 'host.get': HOSTS } });
    const trusting = createZabbixClient({
      api_url: zabbix.url,
      api_token: TOKEN,
      verify_tls: false,
    });
    const verifying = createZabbixClient({
      api_url: zabbix.url,
      api_token: TOKEN,
      verify_tls: true,
    });
    await expect(trusting.call('host.get', {}, never)).resolves.toEqual(HOSTS);
    expect((await failure(verifying.call('host.get', {}, never))).code).toBe(
      'AKM_ZABBIX_UNREACHABLE',
    );
    await expect(trusting.call('host.get', {}, never)).resolves.toEqual(HOSTS);
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  });
});

describe('Zabbix tool results', () => {
  it('cuts a long text at 64 KiB with a marker, and keeps the whole result in structured', async () => {
    const events = Array.from({ length: 2000 }, (_, i) => ({
      eventid: String(i),
      name: 'x'.repeat(40),
    }));
    const zabbix = await fake({ token: TOKEN, results: { 'event.get': events } });
    const result = await apiRequest(
      { api_url: zabbix.url, api_token: TOKEN },
      { method: 'event.get' },
    );
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text.length).toBeLessThan(64 * 1024 + 200);
    expect(result.text).toMatch(
      /\n… \[truncated: 65536 of \d+ characters shown; narrow the query or lower "limit"\]$/,
    );
    expect(result.structured).toEqual({ result: events });
  });

  it('get_history refuses a time it cannot read before asking Zabbix for values', async () => {
    const zabbix = await fake({ token: TOKEN });
    const tool = zabbixTools.tools.find((t) => t.name === 'get_history')!;
    const result = await tool.execute(
      createToolContext({ api_url: zabbix.url, api_token: TOKEN }),
      { itemids: ['1'], time_from: 'yesterday' },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      'time_from "yesterday" is neither unix seconds nor an ISO 8601 time (e.g. 2024-05-01T12:00:00Z)',
    );
    expect(zabbix.requests).toEqual([]);
  });
});
