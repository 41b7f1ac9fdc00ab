import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TestHost } from '@akmatori/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoot } from '../src/server/dashboard.js';
import { startApp } from './helpers.js';

let host: TestHost;
let script: string;

beforeAll(async () => {
  expect(
    existsSync(path.join(dashboardRoot, 'index.html')),
    `the dashboard is not built in ${dashboardRoot}: run \`npm run build:web\` (npm test builds it)`,
  ).toBe(true);
  script = readdirSync(path.join(dashboardRoot, 'assets')).find((name) => name.endsWith('.js'))!;
  host = await startApp();
}, 120_000);

afterAll(async () => {
  await host?.close();
});

/** Every directive of a Content-Security-Policy header, by name. */
function directives(header: unknown): Map<string, string[]> {
  return new Map(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0] !== '')
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('the dashboard served at /', () => {
  it('answers / with the app page, revalidated on every load', async () => {
    const response = await host.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<div id="app"></div>');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('gives the page a CSP that runs no inline script and connects only to this origin', async () => {
    const csp = directives(
      (await host.inject({ method: 'GET', url: '/' })).headers['content-security-policy'],
    );
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
  });

  it('does not upgrade requests to https when the page came over plain HTTP', async () => {
    const response = await host.inject({ method: 'GET', url: '/' });
    expect(
      directives(response.headers['content-security-policy']).has('upgrade-insecure-requests'),
    ).toBe(false);
  });

  it('sends no inline script in the page', async () => {
    const html = (await host.inject({ method: 'GET', url: '/' })).body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
  });

  it('answers client routes with the app page, so a reload keeps the page', async () => {
    for (const url of ['/incidents', '/incidents?severity=critical&page=2', '/login', '/a/b/c']) {
      const response = await host.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toContain('<div id="app"></div>');
      expect(response.headers['content-security-policy'], url).toContain("script-src 'self'");
    }
  });

  it('caches hashed assets for a year', async () => {
    const response = await host.inject({ method: 'GET', url: `/assets/${script}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers.etag).toBeDefined();
  });

  it('revalidates files that are not hashed', async () => {
    const response = await host.inject({ method: 'GET', url: '/favicon.svg' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with a 404, never with the page', async () => {
    const response = await host.inject({ method: 'GET', url: '/assets/index-gone1234.js' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'AKM_ROUTE_NOT_FOUND' });
  });

  it('keeps the JSON 404 for unknown API, auth, webhook and socket paths', async () => {
    for (const url of [
      '/api',
      '/api/nope',
      '/auth/nope',
      '/webhook/nope',
      '/ws/nope',
      '/api/incidents/x/y',
    ]) {
      const response = await host.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ code: 'AKM_ROUTE_NOT_FOUND' });
    }
  });

  it('serves nothing from outside its directory', async () => {
    for (const url of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
    ]) {
      const response = await host.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain('"name": "@akmatori/web"');
    }
  });

  it("serves no dot files, such as Vite's build manifest", async () => {
    const response = await host.inject({ method: 'GET', url: '/.vite/manifest.json' });
    expect(response.statusCode).toBe(404);
  });

  it('leaves the API docs where they were, and out of the OpenAPI document', async () => {
    expect((await host.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
    const document = (await host.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(document.paths)).not.toContain('/');
    expect(Object.keys(document.paths)).not.toContain('/*');
  });
});

describe('the dashboard behind a TLS-terminating proxy', () => {
  let proxied: TestHost;

  beforeAll(async () => {
    proxied = await startApp({ config: { trustedProxyHops: 1 } });
  }, 120_000);

  afterAll(async () => {
    await proxied?.close();
  });

  it("upgrades the page's requests to https when the page came over HTTPS", async () => {
    const response = await proxied.inject({
      method: 'GET',
      url: '/incidents',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
    });
    expect(
      directives(response.headers['content-security-policy']).has('upgrade-insecure-requests'),
    ).toBe(true);
  });
});
