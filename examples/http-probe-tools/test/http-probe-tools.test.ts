import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { callTool, checkToolProviderContract } from '@akmatori/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCertificates, type TestCertificates } from '@akmatori/test-support/peers/tls';
import { httpProbeTools, type HttpProbeCredentials, type ProbeReport } from '../src/index.js';

let plain: http.Server;
let secure: https.Server;
let certs: TestCertificates;
let base: string;
let secureBase: string;
const seenAuthorization: (string | undefined)[] = [];

const answer = (request: http.IncomingMessage, response: http.ServerResponse): void => {
  seenAuthorization.push(request.headers.authorization);
  if (request.url === '/down') response.writeHead(503).end('down');
  else if (request.url === '/moved') response.writeHead(302, { location: '/elsewhere' }).end();
  else response.writeHead(200).end('ok');
};

const listen = async (server: http.Server | https.Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  certs = testCertificates();
  plain = http.createServer(answer);
  secure = https.createServer({ cert: certs.server.cert, key: certs.server.key }, answer);
  base = `http://127.0.0.1:${await listen(plain)}`;
  secureBase = `https://127.0.0.1:${await listen(secure)}`;
});

afterAll(async () => {
  await new Promise((resolve) => plain?.close(resolve));
  await new Promise((resolve) => secure?.close(resolve));
});

const credentials = (extra: Partial<HttpProbeCredentials> = {}): HttpProbeCredentials => ({
  targets: [`${base}/health`, `${base}/down`, `${base}/moved`, `${secureBase}/health`],
  ca_certificate: certs.ca.cert,
  ...extra,
});

const reportsOf = (structured: Record<string, unknown> | undefined): ProbeReport[] =>
  (structured as { reports: ProbeReport[] }).reports;

describe('the HTTP probe tool provider', () => {
  it('passes the tool provider contract', () => {
    expect(checkToolProviderContract(httpProbeTools)).toEqual([]);
  });

  it('reports status and latency of an allowed URL', async () => {
    const { result } = await callTool(httpProbeTools, 'probe', credentials(), {
      url: `${base}/health`,
    });
    expect(result.isError).toBeFalsy();
    const [report] = reportsOf(result.structured);
    expect(report).toMatchObject({ url: `${base}/health`, ok: true, status: 200 });
    expect(report?.latency_ms).toBeGreaterThanOrEqual(0);
    expect(result.text).toMatch(/UP HTTP 200 in \d+ ms/);
  });

  it('probes every target when no url is given: a 503 is down, a redirect is reported, not followed', async () => {
    const { result } = await callTool(httpProbeTools, 'probe', credentials(), {});
    const reports = reportsOf(result.structured);
    expect(reports.map((r) => [r.status, r.ok])).toEqual([
      [200, true],
      [503, false],
      [302, true],
      [200, true],
    ]);
    expect(reports[2]?.location).toBe('/elsewhere');
  });

  it('reads the HTTPS server certificate’s expiry, trusting the configured CA', async () => {
    const { result } = await callTool(httpProbeTools, 'probe', credentials(), {
      url: `${secureBase}/health`,
    });
    const [report] = reportsOf(result.structured);
    expect(report).toMatchObject({ ok: true, status: 200, tls: { subject: '127.0.0.1' } });
    // testCertificates() makes certificates valid for one day.
    expect(report?.tls?.days_left).toBe(0);
    expect(result.text).toContain('certificate 127.0.0.1 expires');
  });

  it('reports an untrusted certificate as down with the TLS error', async () => {
    const { result } = await callTool(
      httpProbeTools,
      'probe',
      credentials({ ca_certificate: undefined }),
      { url: `${secureBase}/health` },
    );
    const [report] = reportsOf(result.structured);
    expect(report?.ok).toBe(false);
    expect(report?.error).toMatch(/certificate/i);
  });

  it('refuses a URL that is not a target, and requests nothing', async () => {
    const before = seenAuthorization.length;
    const { result } = await callTool(httpProbeTools, 'probe', credentials(), {
      url: `${base}/secret-admin`,
    });
    expect(result).toMatchObject({ isError: true, refused: true });
    expect(result.text).toContain('is not one of this instance');
    expect(seenAuthorization.length).toBe(before);
  });

  it('sends the bearer token to the targets', async () => {
    seenAuthorization.length = 0;
    await callTool(httpProbeTools, 'probe', credentials({ bearer_token: 'probe-token' }), {
      url: `${base}/health`,
    });
    expect(seenAuthorization).toEqual(['Bearer probe-token']);
  });

  it('lists its targets', async () => {
    const { result } = await callTool(httpProbeTools, 'list_targets', credentials(), {});
    expect(result.text.split('\n')).toEqual(credentials().targets);
  });
});
