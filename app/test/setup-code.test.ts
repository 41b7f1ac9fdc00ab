import type { TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '@akmatori/test-support/databases';
import { capturedLogger, startApp } from './helpers.js';

const hosts: TestHost[] = [];
const app = async (...args: Parameters<typeof startApp>): Promise<TestHost> => {
  const host = await startApp(...args);
  hosts.push(host);
  return host;
};
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

/** A fresh server bound to every interface, and the setup code it printed in its log. */
async function reachableServer(
  options: Parameters<typeof startApp>[0] = {},
): Promise<{ host: TestHost; code: string; log: () => string }> {
  const { log, text } = capturedLogger();
  const host = await app({ log, ...options, config: { host: '0.0.0.0', ...options.config } });
  return { host, code: printedCode(text()), log: text };
}

function printedCode(log: string): string {
  const match = /one-time setup code: ([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})/.exec(log);
  if (match?.[1] === undefined) throw new Error(`no setup code in the log:\n${log}`);
  return match[1];
}

const setup = (host: TestHost, body: Record<string, unknown>, remoteAddress = '198.51.100.1') =>
  host.inject({ method: 'POST', url: '/auth/setup', remoteAddress, payload: body });
const status = async (host: TestHost) =>
  (await host.inject({ method: 'GET', url: '/auth/setup-status' })).json();

describe('first-run setup on a server others can reach', () => {
  it('says it needs the setup code, and refuses setup without it', async () => {
    const { host } = await reachableServer();
    expect(await status(host)).toEqual({ setup_required: true, setup_code_required: true });
    const response = await setup(host, { password: 'a first password' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      code: 'AKM_SETUP_CODE_REQUIRED',
      message: expect.stringContaining('setup code printed in its log'),
    });
  });

  it('refuses a wrong setup code with a reason', async () => {
    const { host } = await reachableServer();
    const response = await setup(host, {
      password: 'a first password',
      setup_code: 'AAAA-BBBB-CCCC',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'AKM_SETUP_CODE_INVALID' });
    expect(await status(host)).toMatchObject({ setup_required: true });
  });

  it('accepts the code printed in the log (case and dashes do not matter), once', async () => {
    const { host, code } = await reachableServer();
    const typed = code.toLowerCase().replaceAll('-', ' ');
    const done = await setup(host, { password: 'a first password', setup_code: typed });
    expect(done.statusCode, done.body).toBe(201);
    expect(await status(host)).toEqual({ setup_required: false, setup_code_required: false });

    const again = await setup(host, { password: 'a second password', setup_code: code });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AKM_SETUP_ALREADY_DONE' });
    const stored = await host.database.executeSql(
      "select key from settings where key = 'auth.setup_code'",
    );
    expect(stored.rows).toEqual([]);
  });

  it('counts wrong codes against the client address, then refuses even the right one', async () => {
    const { host, code } = await reachableServer({ config: { loginAddressRateLimit: 2 } });
    for (const wrong of ['AAAA-AAAA-AAAA', 'BBBB-BBBB-BBBB'])
      expect(
        (await setup(host, { password: 'a first password', setup_code: wrong })).statusCode,
      ).toBe(403);
    const refused = await setup(host, { password: 'a first password', setup_code: code });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const elsewhere = await setup(
      host,
      { password: 'a first password', setup_code: code },
      '198.51.100.2',
    );
    expect(elsewhere.statusCode).toBe(201);
  });

  it('is one code for every replica on the database, void on all once one of them is set up', async () => {
    const database = await openTestDatabase('embedded');
    try {
      const secretKey = Buffer.alloc(32, 9).toString('base64');
      const a = await reachableServer({ database, config: { secretKey } });
      const b = await reachableServer({ database, config: { secretKey } });
      expect(b.code).toBe(a.code);
      const done = await setup(b.host, { password: 'a first password', setup_code: a.code });
      expect(done.statusCode, done.body).toBe(201);
      const late = await setup(a.host, { password: 'a rival password', setup_code: a.code });
      expect(late.statusCode).toBe(409);
    } finally {
      await Promise.all(hosts.splice(0).map((host) => host.close()));
      await database.close();
    }
  });

  it('needs the code on a loopback bind behind a trusted proxy, which forwards other machines', async () => {
    const { log, text } = capturedLogger();
    const host = await app({ log, config: { host: '127.0.0.1', trustedProxyHops: 1 } });
    const code = printedCode(text());
    expect(await status(host)).toEqual({ setup_required: true, setup_code_required: true });
    expect((await setup(host, { password: 'a first password' })).statusCode).toBe(403);
    expect((await setup(host, { password: 'a first password', setup_code: code })).statusCode).toBe(
      201,
    );
  });

  it('is not made when ADMIN_PASSWORD creates the admin', async () => {
    const { log, text } = capturedLogger();
    const host = await app({
      log,
      config: { host: '0.0.0.0', adminPassword: 'from-the-environment' },
    });
    expect(text()).not.toContain('setup code');
    expect(await status(host)).toEqual({ setup_required: false, setup_code_required: false });
  });
});

describe('first-run setup on a loopback-only server', () => {
  it('needs no setup code and prints none', async () => {
    const { log, text } = capturedLogger();
    const host = await app({ log, config: { host: 'localhost' } });
    expect(await status(host)).toEqual({ setup_required: true, setup_code_required: false });
    expect((await setup(host, { password: 'a first password' })).statusCode).toBe(201);
    expect(text()).not.toContain('setup code');
  });
});
