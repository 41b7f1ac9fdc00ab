import { createManualClock } from '@akmatori/core/testing';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '@akmatori/test-support/databases';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

const hosts: TestHost[] = [];
const app = async (...args: Parameters<typeof startApp>): Promise<TestHost> => {
  const host = await startApp(...args);
  hosts.push(host);
  return host;
};
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

const login = (host: TestHost, username: string, password: string) =>
  host.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });

describe('first-run setup', () => {
  it('is required on a new install without ADMIN_PASSWORD, works once, then is done', async () => {
    const host = await app();
    expect((await host.inject({ method: 'GET', url: '/auth/setup-status' })).json()).toEqual({
      setup_required: true,
      setup_code_required: false,
    });

    const token = await setUpAdmin(host, 'first password');
    const me = await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ kind: 'user', name: 'admin' });

    expect((await host.inject({ method: 'GET', url: '/auth/setup-status' })).json()).toEqual({
      setup_required: false,
      setup_code_required: false,
    });
    const again = await host.inject({
      method: 'POST',
      url: '/auth/setup',
      payload: { password: 'second password' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AKM_SETUP_ALREADY_DONE' });
    expect((await login(host, 'admin', 'second password')).statusCode).toBe(401);
    expect((await login(host, 'admin', 'first password')).statusCode).toBe(200);
  });

  it('lets only one of several simultaneous setups win', async () => {
    const host = await app();
    const answers = await Promise.all(
      ['password-a', 'password-b', 'password-c'].map((password) =>
        host.inject({ method: 'POST', url: '/auth/setup', payload: { password } }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
  });

  it('refuses a short password with a reason', async () => {
    const host = await app();
    const response = await host.inject({
      method: 'POST',
      url: '/auth/setup',
      payload: { password: 'short' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'AKM_VALIDATION',
      message: expect.stringContaining('password'),
    });
  });

  it('is not offered when ADMIN_PASSWORD is set: the admin exists with that password', async () => {
    const host = await app({ config: { adminPassword: 'from-the-environment' } });
    expect((await host.inject({ method: 'GET', url: '/auth/setup-status' })).json()).toEqual({
      setup_required: false,
      setup_code_required: false,
    });
    expect(
      (
        await host.inject({
          method: 'POST',
          url: '/auth/setup',
          payload: { password: 'hijack-attempt' },
        })
      ).statusCode,
    ).toBe(409);
    expect((await login(host, 'admin', 'from-the-environment')).statusCode).toBe(200);
  });
});

describe('login', () => {
  it('returns an opaque session token and its idle expiry for the right password', async () => {
    const host = await app({ config: { sessionTtlSeconds: 3600 } });
    await setUpAdmin(host, 'the right password');
    const response = await login(host, 'admin', 'the right password');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ token: string; expires_at: string }>();
    expect(body.token).toMatch(/^aks_[A-Za-z0-9_-]{43}$/);
    expect(new Date(body.expires_at).getTime()).toBe(host.clock.now().getTime() + 3600_000);
    expect(
      (await host.inject({ method: 'GET', url: '/api/me', headers: bearer(body.token) })).json(),
    ).toMatchObject({ kind: 'user', name: 'admin', role: 'admin' });
  });

  it('answers 401 for a wrong password and for an unknown user, alike', async () => {
    const host = await app();
    await setUpAdmin(host, 'the right password');
    const wrong = await login(host, 'admin', 'the wrong password');
    const unknown = await login(host, 'mallory', 'the right password');
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({
        code: 'AKM_AUTH_INVALID_CREDENTIALS',
        message: 'Wrong username or password',
      });
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('tells the caller to run setup when no admin exists yet', async () => {
    const host = await app();
    const response = await login(host, 'admin', 'anything');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'AKM_SETUP_REQUIRED' });
  });

  it('rejects an expired login token', async () => {
    const host = await app({ config: { sessionTtlSeconds: 600 } });
    const token = await setUpAdmin(host);
    expect(
      (await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode,
    ).toBe(200);
    host.clock.advance(601_000);
    const response = await host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({
      code: 'AKM_AUTH_INVALID_TOKEN',
      message: expect.stringContaining('expired'),
    });
  });

  it('renews a session while it is used, up to its maximum age', async () => {
    const host = await app({ config: { sessionTtlSeconds: 600, sessionMaxAgeSeconds: 1500 } });
    const token = await setUpAdmin(host);
    const me = () => host.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    // Used every 500 s, a 600 s idle lifetime keeps going ...
    host.clock.advance(500_000);
    expect((await me()).statusCode).toBe(200);
    host.clock.advance(500_000);
    expect((await me()).statusCode).toBe(200);
    host.clock.advance(490_000);
    expect((await me()).statusCode).toBe(200);
    // ... but never past the maximum age after login.
    host.clock.advance(20_000);
    const ended = await me();
    expect(ended.statusCode).toBe(401);
    expect(ended.json()).toMatchObject({ message: expect.stringContaining('expired') });
  });

  it('rejects a made-up token and a token from another installation', async () => {
    const host = await app();
    const token = await setUpAdmin(host);
    const guessed = `aks_${'A'.repeat(43)}`;
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [guessed, tampered]) {
      expect(
        (await host.inject({ method: 'GET', url: '/api/me', headers: bearer(bad) })).statusCode,
      ).toBe(401);
    }

    const other = await app();
    const foreign = await setUpAdmin(other);
    expect(
      (await host.inject({ method: 'GET', url: '/api/me', headers: bearer(foreign) })).statusCode,
    ).toBe(401);
  });

  it('rate-limits failed logins per client address', async () => {
    const host = await app({ config: { loginAddressRateLimit: 3 } });
    await setUpAdmin(host);
    let guesses = 0;
    const attempt = (remoteAddress: string) =>
      host.inject({
        method: 'POST',
        url: '/auth/login',
        remoteAddress,
        payload: { username: `user-${guesses++}`, password: 'guess' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt('10.0.0.1')).statusCode).toBe(401);
    const limited = await attempt('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'AKM_RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('10.0.0.2')).statusCode).toBe(401);
  });

  it('ends earlier sessions when ADMIN_PASSWORD changes', async () => {
    const database = await openTestDatabase('embedded');
    try {
      // One database, so one secret key too: the run token signing key is stored sealed.
      const secretKey = Buffer.alloc(32, 7).toString('base64');
      const before = await app({
        database,
        config: { adminPassword: 'password-one', secretKey },
      });
      const token = (await login(before, 'admin', 'password-one')).json<{ token: string }>().token;
      expect(
        (await before.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).statusCode,
      ).toBe(200);

      const later = createManualClock(new Date(before.clock.now().getTime() + 60_000));
      const after = await app({
        database,
        clock: later,
        config: { adminPassword: 'password-two', secretKey },
      });
      const stale = await after.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
      expect(stale.statusCode).toBe(401);
      expect(stale.json()).toMatchObject({ message: expect.stringContaining('session has ended') });
      expect((await login(after, 'admin', 'password-one')).statusCode).toBe(401);
      expect((await login(after, 'admin', 'password-two')).statusCode).toBe(200);
    } finally {
      await Promise.all(hosts.splice(0).map((host) => host.close()));
      await database.close();
    }
  });

  it('never writes a password or a token to the log', async () => {
    const { log, text } = capturedLogger();
    const host = await app({ log });
    const token = await setUpAdmin(host, 'setup-password-value');
    await login(host, 'admin', 'wrong-password-value');
    const good = (await login(host, 'admin', 'setup-password-value')).json<{ token: string }>()
      .token;
    await host.inject({ method: 'GET', url: '/api/me', headers: bearer(good) });
    await host.inject({ method: 'GET', url: '/api/me', headers: bearer('not-a-real-token-value') });
    const output = text();
    expect(output).toContain('login failed');
    for (const secret of [
      'setup-password-value',
      'wrong-password-value',
      token,
      good,
      'not-a-real-token-value',
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});

describe('the /api boundary', () => {
  it('requires a bearer token on every /api route', async () => {
    const host = await app();
    for (const [method, url] of [
      ['GET', '/api/me'],
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens'],
      ['DELETE', '/api/tokens/00000000-0000-0000-0000-000000000000'],
      ['GET', '/api/plugins'],
    ] as const) {
      const response = await host.inject({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.json()).toMatchObject({ code: 'AKM_AUTH_REQUIRED' });
    }
  });

  it('rejects other authorization schemes and garbage tokens', async () => {
    const host = await app();
    await setUpAdmin(host);
    for (const authorization of [
      'Basic YWRtaW46cGFzc3dvcmQ=',
      'Bearer',
      'Bearer not.a.jwt',
      'Bearer akm_notatoken',
    ]) {
      const response = await host.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization },
      });
      expect(response.statusCode, authorization).toBe(401);
    }
  });
});
