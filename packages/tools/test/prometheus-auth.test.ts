import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ToolResult } from '@akmatori/core';
import { callTool } from '@akmatori/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type RunningPrometheus } from '@akmatori/test-support/peers/prometheus';
import { testCertificates, type TestCertificates } from '@akmatori/test-support/peers/tls';
import { alertmanagerTools } from '../src/prometheus/alertmanager-tools.js';
import type { HttpApiCredentials } from '../src/prometheus/http-api-credentials.js';
import { prometheusTools } from '../src/prometheus/prometheus-tools.js';

// How the prometheus tools authenticate, against the real Prometheus 2.42: basic auth and
// mutual TLS through its own --web.config.file; a bearer token through a loopback proxy that
// requires it (Prometheus cannot check bearer tokens itself), as operators put one in front.

const PASSWORD = 'prometheus-test-password';
/** bcrypt (cost 10) of PASSWORD, as Prometheus's basic_auth_users wants it. */
const PASSWORD_BCRYPT = '$2b$10$O/siXN3nFp4.Fa1GsLUbJe0jsFDuEaf6zoU0TRkwpUdgzBMPtFzie';
const BEARER = 'bearer-token-0123456789abcdef';

const status = async (credentials: HttpApiCredentials): Promise<ToolResult> =>
  (await callTool(prometheusTools, 'get_status', credentials, {})).result;

let certs: TestCertificates;
let basic: RunningPrometheus;
let mtls: RunningPrometheus;
let open: RunningPrometheus;
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  certs = testCertificates();
  [basic, mtls, open] = await Promise.all([
    startPrometheus({ webConfig: { basicAuthUsers: { akmatori: PASSWORD_BCRYPT } } }),
    startPrometheus({
      webConfig: {
        tls: { cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca.cert },
      },
    }),
    startPrometheus({}),
  ]);
  // A bearer-checking proxy that, when refusing, echoes what it was sent (a careless server):
  // the tool must still not show the token.
  proxy = createServer((request, response) => {
    const authorization = request.headers.authorization ?? '';
    if (authorization !== `Bearer ${BEARER}`) {
      response
        .writeHead(401, { 'content-type': 'text/plain' })
        .end(`bad credentials: ${authorization}`);
      return;
    }
    void fetch(`${open.url}${request.url ?? '/'}`).then(async (upstream) => {
      response
        .writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        })
        .end(await upstream.text());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) =>
    proxy === undefined ? resolve() : proxy.close(() => resolve()),
  );
  await Promise.all([basic?.stop(), mtls?.stop(), open?.stop()]);
});

describe('prometheus tools authenticate to the real Prometheus', () => {
  it('basic auth: the right password is let in', async () => {
    const result = await status({ url: basic.url, username: 'akmatori', password: PASSWORD });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toMatch(/^Prometheus 2\.42/);
  });

  it('basic auth: a wrong or missing password is refused with a clear error that does not show it', async () => {
    const wrong = await status({
      url: basic.url,
      username: 'akmatori',
      password: 'not-the-password',
    });
    expect(wrong).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_AUTH_REFUSED' },
    });
    expect(wrong.text).toContain(`Prometheus at ${basic.url}/ refused the credentials (HTTP 401`);
    expect(wrong.text).not.toContain('not-the-password');
    const none = await status({ url: basic.url });
    expect(none.structured).toEqual({ error_code: 'AKM_PROMETHEUS_AUTH_REFUSED' });
  });

  it('mutual TLS: the client certificate and the CA are used', async () => {
    const result = await status({
      url: mtls.url,
      tls_client_cert: certs.client.cert,
      tls_client_key: certs.client.key,
      tls_ca_cert: certs.ca.cert,
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(`at ${mtls.url}/`);
  });

  it('mutual TLS: without the CA the server certificate is not trusted, unless verify_tls is off', async () => {
    const client = { tls_client_cert: certs.client.cert, tls_client_key: certs.client.key };
    const untrusted = await status({ url: mtls.url, ...client });
    expect(untrusted).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_UNREACHABLE' },
    });
    expect(untrusted.text).toContain(
      "the server's TLS certificate is not trusted (set tls_ca_cert",
    );
    const unverified = await status({ url: mtls.url, ...client, verify_tls: false });
    expect(unverified.isError, unverified.text).toBeFalsy();
  });

  it('mutual TLS: without a client certificate Prometheus ends the handshake', async () => {
    const result = await status({ url: mtls.url, tls_ca_cert: certs.ca.cert });
    expect(result).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_UNREACHABLE' },
    });
    expect(result.text).toContain(`could not reach Prometheus at ${mtls.url}/`);
  });

  it('mutual TLS: a key that is not PEM is an input error that does not quote it', async () => {
    const result = await status({
      url: mtls.url,
      tls_client_cert: certs.client.cert,
      tls_client_key: 'not a key, but secret-looking text',
    });
    expect(result).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_INPUT_INVALID' },
    });
    expect(result.text).not.toContain('secret-looking');
  });

  it('bearer token: sent as Authorization: Bearer, through a proxy that requires it', async () => {
    const result = await status({ url: proxyUrl, bearer_token: BEARER });
    expect(result.isError, result.text).toBeFalsy();
    const query = await callTool(
      prometheusTools,
      'query',
      { url: proxyUrl, bearer_token: BEARER },
      { query: 'vector(1)' },
    );
    expect(query.result.text).toContain('{} 1 @ ');
  });

  it('bearer token: a refused token is an auth error, and the token echoed by the server is scrubbed', async () => {
    const wrong = `${BEARER}-but-wrong`;
    const result = await status({ url: proxyUrl, bearer_token: wrong });
    expect(result).toMatchObject({
      isError: true,
      structured: { error_code: 'AKM_PROMETHEUS_AUTH_REFUSED' },
    });
    expect(result.text).toContain('bad credentials: Bearer [secret scrubbed]');
    expect(result.text).not.toContain(BEARER);
  });

  it('basic auth: a server echoing the refused header gets its base64 scrubbed too', async () => {
    const result = await status({ url: proxyUrl, username: 'akmatori', password: PASSWORD });
    expect(result.structured).toEqual({ error_code: 'AKM_PROMETHEUS_AUTH_REFUSED' });
    expect(result.text).toContain('bad credentials: Basic [secret scrubbed]');
    expect(result.text).not.toContain(Buffer.from(`akmatori:${PASSWORD}`).toString('base64'));
  });

  it('the alertmanager tools send the same headers', async () => {
    // The proxy stands in front of Prometheus: with the token the call gets past it (and
    // Prometheus has no /api/v2/status), without it the proxy refuses.
    const call = async (credentials: HttpApiCredentials): Promise<ToolResult> =>
      (await callTool(alertmanagerTools, 'get_status', credentials, {})).result;
    const past = await call({ url: proxyUrl, bearer_token: BEARER });
    expect(past.structured).toEqual({ error_code: 'AKM_PROMETHEUS_HTTP_STATUS' });
    expect(past.text).toMatch(/^Alertmanager at .* answered HTTP 404/);
    const refused = await call({ url: proxyUrl });
    expect(refused.structured).toEqual({ error_code: 'AKM_PROMETHEUS_AUTH_REFUSED' });
  });
});
