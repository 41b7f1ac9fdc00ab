import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './helpers.js';

// `upgrade-insecure-requests` makes a browser fetch every script, style and API call of a page
// over https: on a LAN install served over plain HTTP by IP address, nothing answers there and
// the page stays blank. It is sent only when the page itself came over HTTPS.

const UPGRADE = /(^|;)\s*upgrade-insecure-requests\s*(;|$)/;
const PAGES = ['/api/docs/', '/api/openapi.json', '/health'];

let direct: TestHost;
let proxied: TestHost;

beforeAll(async () => {
  direct = await startApp();
  proxied = await startApp({ config: { trustedProxyHops: 1 } });
}, 120_000);

afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});

async function policy(host: TestHost, url: string, headers: Record<string, string> = {}) {
  const response = await host.inject({ method: 'GET', url, headers });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
  const csp = response.headers['content-security-policy'];
  expect(typeof csp, `${url} has a Content-Security-Policy`).toBe('string');
  return csp as string;
}

describe('the Content-Security-Policy and HTTPS upgrades', () => {
  it('does not ask browsers to upgrade requests on a page served over plain HTTP', async () => {
    for (const url of PAGES) {
      const csp = await policy(direct, url);
      expect(csp, url).not.toMatch(UPGRADE);
      expect(csp, url).toMatch(/default-src 'self'/);
    }
  });

  it('asks for the upgrade when a trusted proxy says the page came over HTTPS', async () => {
    for (const url of PAGES) {
      const csp = await policy(proxied, url, {
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '203.0.113.7',
      });
      expect(csp, url).toMatch(UPGRADE);
      expect(csp.match(/upgrade-insecure-requests/g), url).toHaveLength(1);
    }
  });

  it('does not take X-Forwarded-Proto from a client when no proxy is trusted', async () => {
    for (const url of PAGES) {
      const csp = await policy(direct, url, { 'x-forwarded-proto': 'https' });
      expect(csp, url).not.toMatch(UPGRADE);
    }
  });

  it('does not ask for the upgrade behind the trusted proxy when it says plain HTTP', async () => {
    const csp = await policy(proxied, '/api/docs/', {
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '203.0.113.7',
    });
    expect(csp).not.toMatch(UPGRADE);
  });
});
