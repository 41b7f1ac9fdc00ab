import { spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@akmatori/test-support/databases';
import { cliPath as cli, startServerProcess } from '@akmatori/test-support/app/server-process';

// These tests run the built command line (`npm test` builds first), as a user would.
const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'akm-cli-'));
  dirs.push(dir);
  return dir;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...env, ...extra };
}

/** Starts `akmatori serve` with a clean environment. */
async function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string }> {
  const server = await startServerProcess(env);
  children.push(server.child);
  return server;
}

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code)),
  );

describe('akmatori command line', () => {
  it('prints its version', () => {
    const result = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('migrate applies the migrations once, then reports the database is up to date', () => {
    const env = cleanEnv({ AKMATORI_DATA_DIR: tempDir() });
    const first = spawnSync(process.execPath, [cli, 'migrate'], { encoding: 'utf8', env });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('migrations applied');
    const second = spawnSync(process.execPath, [cli, 'migrate'], { encoding: 'utf8', env });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('database already up to date');
  });

  it('secrets rotate re-encrypts stored secrets under the configured key and says so', () => {
    const env = cleanEnv({ AKMATORI_DATA_DIR: tempDir() });
    const result = spawnSync(process.execPath, [cli, 'secrets', 'rotate'], {
      encoding: 'utf8',
      env,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('settings: 0 re-encrypted, 0 already current');
    expect(result.stdout).toMatch(/All stored secrets now use key [0-9a-f]{8}/);
  });

  it('refuses to start on an invalid setting and names it', () => {
    const result = spawnSync(process.execPath, [cli, 'serve'], {
      encoding: 'utf8',
      env: cleanEnv({ PORT: 'eighty' }),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT must be integer');
    expect(result.stderr).toContain('AKM_CONFIG_INVALID');
  });

  it('serves on the embedded database, says where the data is and how to log in, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const { child, url, output } = await startServer({ AKMATORI_DATA_DIR: dataDir });
    expect(output()).toContain(`embedded PostgreSQL (PGlite) in ${path.join(dataDir, 'pgdata')}`);
    expect(output()).toContain('/auth/setup');
    expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const setup = await fetch(`${url}/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'a durable password' }),
    });
    expect(setup.status).toBe(201);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(output()).toContain('akmatori stopped');
    expect(existsSync(path.join(dataDir, 'pgdata.lock'))).toBe(false);

    const restarted = await startServer({ AKMATORI_DATA_DIR: dataDir });
    expect(restarted.output()).toContain('Log in as "admin"');
    const login = await fetch(`${restarted.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'a durable password' }),
    });
    expect(login.status).toBe(200);
    restarted.child.kill('SIGTERM');
    expect(await exited(restarted.child)).toBe(0);
  });

  it('serves on PostgreSQL when DATABASE_URL is set', async () => {
    const databaseUrl = await createPostgresDatabase();
    const { child, url, output } = await startServer({
      DATABASE_URL: databaseUrl,
      AKMATORI_DATA_DIR: tempDir(),
      ADMIN_PASSWORD: 'admin-from-env',
    });
    expect(output()).toContain('PostgreSQL at postgres://');
    const ready = await fetch(`${url}/ready`);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'postgres' });
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-from-env' }),
    });
    expect(login.status).toBe(200);
    expect(output()).not.toContain('admin-from-env');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('finishes a request in flight before exiting on SIGTERM', async () => {
    const { child, url } = await startServer({ AKMATORI_DATA_DIR: tempDir() });
    // Start a request and send half its body: it is in flight when the signal arrives.
    const { hostname, port } = new URL(url);
    const body = JSON.stringify({ username: 'admin', password: 'whatever-password' });
    const answer = new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          hostname,
          port,
          method: 'POST',
          path: '/auth/login',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.write(body.slice(0, 10));
      request.on('socket', (socket) =>
        socket.on('connect', () => {
          setTimeout(() => {
            child.kill('SIGTERM');
            setTimeout(() => request.end(body.slice(10)), 200);
          }, 100);
        }),
      );
    });
    expect(await answer).toBe(409);
    expect(await exited(child)).toBe(0);
  });
});
