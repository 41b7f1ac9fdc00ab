import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@akmatori/test-support/databases';
import { startServerProcess, type ServerProcess } from '@akmatori/test-support/app/server-process';

// Two real API processes (the built `akmatori serve`) on one real PostgreSQL: a failure on
// one counts on the other. Both believe one proxy hop, so each test speaks from its own
// client address through X-Forwarded-For, as nginx would write it.

const ADMIN_PASSWORD = 'replicas-admin-password';
const servers: ServerProcess[] = [];
const dirs: string[] = [];
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  const common = {
    DATABASE_URL: await createPostgresDatabase(),
    AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
    ADMIN_PASSWORD,
    GATEWAY_PORT: '0',
    AKMATORI_EMBEDDED_WORKER: 'false',
    AKMATORI_TRUSTED_PROXY_HOPS: '1',
    AKMATORI_LOGIN_RATE_LIMIT: '3',
    AKMATORI_LOGIN_ADDRESS_RATE_LIMIT: '6',
    LOG_LEVEL: 'warn',
  };
  for (const name of ['a', 'b']) {
    const dataDir = mkdtempSync(path.join(tmpdir(), `akm-replica-${name}-`));
    dirs.push(dataDir);
    // One after the other: the first applies the migrations and creates the admin.
    servers.push(await startServerProcess({ ...common, AKMATORI_DATA_DIR: dataDir }));
  }
  [a, b] = servers as [ServerProcess, ServerProcess];
});

afterAll(async () => {
  await Promise.all(
    servers.map(async (server) => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.child.kill('SIGTERM');
      await server.exited();
    }),
  );
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function login(
  server: ServerProcess,
  username: string,
  password: string,
  clientAddress: string,
): Promise<{ status: number; retryAfter: string | null; code: string | undefined }> {
  const response = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { code?: string };
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    code: body.code,
  };
}

const statuses = async (attempts: [ServerProcess, string, string, string][]): Promise<number[]> => {
  const seen: number[] = [];
  for (const [server, username, password, address] of attempts)
    seen.push((await login(server, username, password, address)).status);
  return seen;
};

describe('login throttling across two API processes on one PostgreSQL', () => {
  it('refuses on B an account whose failures were made on A', async () => {
    expect(
      await statuses([
        [a, 'operator-1', 'guess', '203.0.113.1'],
        [a, 'operator-1', 'guess', '203.0.113.1'],
        [a, 'operator-1', 'guess', '203.0.113.1'],
      ]),
    ).toEqual([401, 401, 401]);

    const refused = await login(b, 'operator-1', 'guess', '203.0.113.2');
    expect(refused).toMatchObject({ status: 429, code: 'AKM_RATE_LIMITED' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // Only that account: another one from the same address is still answered.
    expect((await login(b, 'operator-2', 'guess', '203.0.113.2')).status).toBe(401);
  });

  it('forgets the failures made on A once the account logs in on B, and then counts afresh', async () => {
    expect(
      await statuses([
        [a, 'admin', 'guess', '203.0.113.10'],
        [a, 'admin', 'guess', '203.0.113.10'],
        [b, 'admin', ADMIN_PASSWORD, '203.0.113.11'],
        [a, 'admin', 'guess', '203.0.113.12'],
        [a, 'admin', 'guess', '203.0.113.12'],
        [a, 'admin', 'guess', '203.0.113.12'],
        [b, 'admin', ADMIN_PASSWORD, '203.0.113.11'],
      ]),
    ).toEqual([401, 401, 200, 401, 401, 401, 429]);
  });

  it('refuses on either process a client address that failed against many accounts on both', async () => {
    const sprayed: [ServerProcess, string, string, string][] = [1, 2, 3, 4, 5, 6].map((n) => [
      n % 2 === 0 ? a : b,
      `sprayed-${n}`,
      'guess',
      '198.51.100.20',
    ]);
    expect(await statuses(sprayed)).toEqual([401, 401, 401, 401, 401, 401]);
    expect((await login(a, 'sprayed-7', 'guess', '198.51.100.20')).status).toBe(429);
    expect((await login(b, 'sprayed-8', 'guess', '198.51.100.20')).status).toBe(429);
    expect((await login(b, 'sprayed-8', 'guess', '198.51.100.21')).status).toBe(401);
  });
});
