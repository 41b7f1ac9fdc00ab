import type { TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { setUpAdmin, startApp } from './helpers.js';

const hosts: TestHost[] = [];
const app = async (...args: Parameters<typeof startApp>): Promise<TestHost> => {
  const host = await startApp(...args);
  hosts.push(host);
  return host;
};
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

const PASSWORD = 'the right password';

function login(
  host: TestHost,
  username: string,
  password: string,
  from: { remoteAddress?: string; forwardedFor?: string } = {},
) {
  return host.inject({
    method: 'POST',
    url: '/auth/login',
    remoteAddress: from.remoteAddress ?? '198.51.100.1',
    ...(from.forwardedFor === undefined
      ? {}
      : { headers: { 'x-forwarded-for': from.forwardedFor } }),
    payload: { username, password },
  });
}

async function expectStatuses(
  attempts: (() => Promise<{ statusCode: number }>)[],
  expected: number[],
): Promise<void> {
  const got: number[] = [];
  for (const attempt of attempts) got.push((await attempt()).statusCode);
  expect(got).toEqual(expected);
}

describe('login throttling per account', () => {
  it('refuses the account with 429 and Retry-After after its limit of failures, even with the right password', async () => {
    const host = await app({ config: { loginRateLimit: 3 } });
    await setUpAdmin(host, PASSWORD);
    for (let i = 0; i < 3; i++)
      expect((await login(host, 'admin', `guess ${i}`)).statusCode).toBe(401);

    const refused = await login(host, 'admin', PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      code: 'AKM_RATE_LIMITED',
      details: { retry_after_seconds: 900 },
    });
    expect(refused.headers['retry-after']).toBe('900');
  });

  it('counts the account whatever address the guesses come from', async () => {
    const host = await app({ config: { loginRateLimit: 3 } });
    await setUpAdmin(host, PASSWORD);
    for (const remoteAddress of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
      expect((await login(host, 'admin', 'guess', { remoteAddress })).statusCode).toBe(401);
    expect((await login(host, 'admin', PASSWORD, { remoteAddress: '192.0.2.4' })).statusCode).toBe(
      429,
    );
  });

  it('refuses an unknown account exactly as it refuses a real one', async () => {
    const host = await app({ config: { loginRateLimit: 2 } });
    await setUpAdmin(host, PASSWORD);
    const answers = [];
    for (const username of ['admin', 'no-such-user']) {
      for (let i = 0; i < 2; i++)
        expect((await login(host, username, 'guess')).statusCode).toBe(401);
      answers.push(await login(host, username, 'guess'));
    }
    const [real, unknown] = answers;
    expect(real?.statusCode).toBe(429);
    expect(unknown?.statusCode).toBe(429);
    expect(unknown?.body).toBe(real?.body);
    expect(unknown?.headers['retry-after']).toBe(real?.headers['retry-after']);
  });

  it('lets the account in again once the oldest failure has left the window, and says when', async () => {
    const host = await app({ config: { loginRateLimit: 2, loginRateWindowSeconds: 600 } });
    await setUpAdmin(host, PASSWORD);
    expect((await login(host, 'admin', 'guess')).statusCode).toBe(401);
    host.clock.advance(200_000);
    expect((await login(host, 'admin', 'guess')).statusCode).toBe(401);
    host.clock.advance(100_000);

    const refused = await login(host, 'admin', PASSWORD);
    expect(refused.statusCode).toBe(429);
    // The first failure leaves the 600 s window 300 s from now.
    expect(refused.headers['retry-after']).toBe('300');

    host.clock.advance(299_000);
    expect((await login(host, 'admin', PASSWORD)).statusCode).toBe(429);
    host.clock.advance(1_000);
    expect((await login(host, 'admin', PASSWORD)).statusCode).toBe(200);
  });

  it('forgets the failures of an account once it logs in', async () => {
    const host = await app({ config: { loginRateLimit: 3 } });
    await setUpAdmin(host, PASSWORD);
    const guess = () => login(host, 'admin', 'guess');
    const right = () => login(host, 'admin', PASSWORD);
    await expectStatuses(
      [guess, guess, right, guess, guess, guess, right],
      [401, 401, 200, 401, 401, 401, 429],
    );
  });

  it('does not count refused attempts, so waiting out the window is enough', async () => {
    const host = await app({ config: { loginRateLimit: 1, loginRateWindowSeconds: 60 } });
    await setUpAdmin(host, PASSWORD);
    expect((await login(host, 'admin', 'guess')).statusCode).toBe(401);
    for (let i = 0; i < 5; i++) {
      host.clock.advance(10_000);
      expect((await login(host, 'admin', 'guess')).statusCode).toBe(429);
    }
    host.clock.advance(10_000);
    expect((await login(host, 'admin', PASSWORD)).statusCode).toBe(200);
  });
});

describe('login throttling per client address', () => {
  it('refuses an address that fails against many accounts, and only that address', async () => {
    const host = await app({ config: { loginRateLimit: 5, loginAddressRateLimit: 3 } });
    await setUpAdmin(host, PASSWORD);
    for (const username of ['alice', 'bob', 'carol'])
      expect((await login(host, username, 'guess')).statusCode).toBe(401);
    expect((await login(host, 'dave', 'guess')).statusCode).toBe(429);
    expect((await login(host, 'admin', PASSWORD)).statusCode).toBe(429);
    expect(
      (await login(host, 'admin', PASSWORD, { remoteAddress: '198.51.100.2' })).statusCode,
    ).toBe(200);
  });

  it('keeps counting an address that also logs in successfully', async () => {
    const host = await app({ config: { loginRateLimit: 5, loginAddressRateLimit: 3 } });
    await setUpAdmin(host, PASSWORD);
    const sprayed = (username: string) => () => login(host, username, 'guess');
    const right = () => login(host, 'admin', PASSWORD);
    await expectStatuses(
      [sprayed('alice'), sprayed('bob'), right, sprayed('carol'), right],
      [401, 401, 200, 401, 429],
    );
  });

  it('counts an IPv6 client by its /64', async () => {
    const host = await app({ config: { loginRateLimit: 5, loginAddressRateLimit: 2 } });
    await setUpAdmin(host, PASSWORD);
    for (const remoteAddress of ['2001:db8:1:2::a', '2001:db8:1:2::b'])
      expect((await login(host, 'someone', 'guess', { remoteAddress })).statusCode).toBe(401);
    expect(
      (await login(host, 'other', 'guess', { remoteAddress: '2001:db8:1:2::c' })).statusCode,
    ).toBe(429);
    expect(
      (await login(host, 'other', 'guess', { remoteAddress: '2001:db8:1:3::c' })).statusCode,
    ).toBe(401);
  });

  it('ignores X-Forwarded-For from a direct client: a spoofed header does not change the counted address', async () => {
    const host = await app({ config: { loginRateLimit: 10, loginAddressRateLimit: 3 } });
    await setUpAdmin(host, PASSWORD);
    for (const [i, username] of ['alice', 'bob', 'carol'].entries()) {
      const response = await login(host, username, 'guess', {
        remoteAddress: '192.0.2.50',
        forwardedFor: `203.0.113.${i}`,
      });
      expect(response.statusCode).toBe(401);
    }
    const spoofed = await login(host, 'dave', 'guess', {
      remoteAddress: '192.0.2.50',
      forwardedFor: '203.0.113.99',
    });
    expect(spoofed.statusCode).toBe(429);
  });

  it('behind one trusted proxy counts the address the proxy appended, not what the client wrote', async () => {
    const host = await app({
      config: {
        loginRateLimit: 10,
        loginAddressRateLimit: 3,
        trustedProxyHops: 1,
        adminPassword: PASSWORD,
      },
    });
    const proxy = '10.0.0.2';
    for (const [i, username] of ['alice', 'bob', 'carol'].entries()) {
      const response = await login(host, username, 'guess', {
        remoteAddress: proxy,
        forwardedFor: `192.0.2.${i}, 203.0.113.7`,
      });
      expect(response.statusCode).toBe(401);
    }
    // The client varies what it writes itself; the proxy's entry stays, so it stays refused.
    const spoofed = await login(host, 'dave', 'guess', {
      remoteAddress: proxy,
      forwardedFor: '192.0.2.99, 203.0.113.7',
    });
    expect(spoofed.statusCode).toBe(429);
    // Another client through the same proxy is its own address.
    const neighbour = await login(host, 'admin', PASSWORD, {
      remoteAddress: proxy,
      forwardedFor: '203.0.113.8',
    });
    expect(neighbour.statusCode).toBe(200);
  });
});

describe('the login_attempts table', () => {
  it('drops attempts older than the window when new ones are written', async () => {
    const host = await app({ config: { loginRateWindowSeconds: 60 } });
    await setUpAdmin(host, PASSWORD);
    for (const username of ['alice', 'bob', 'carol']) await login(host, username, 'guess');
    const count = async (): Promise<number> =>
      Number(
        (await host.database.executeSql<{ n: string }>('select count(*) as n from login_attempts'))
          .rows[0]?.n,
      );
    // Per failure: one row for the account and one for the address.
    expect(await count()).toBe(6);
    host.clock.advance(61_000);
    await login(host, 'dave', 'guess');
    expect(await count()).toBe(2);
  });

  it('stores neither usernames nor addresses in clear', async () => {
    const host = await app();
    await setUpAdmin(host, PASSWORD);
    await login(host, 'a-password-typed-as-username', 'guess', { remoteAddress: '192.0.2.77' });
    const rows = await host.database.executeSql('select * from login_attempts');
    const text = JSON.stringify(rows.rows);
    expect(text).not.toContain('a-password-typed-as-username');
    expect(text).not.toContain('192.0.2.77');
  });
});
