import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cliPath,
  startServerProcess,
  type ServerProcess,
} from '@akmatori/test-support/app/server-process';

// The built command line, as a user starts it (`npm test` builds first).
const servers: ServerProcess[] = [];
const blockers: Server[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) server.child.kill('SIGKILL');
  for (const blocker of blockers.splice(0)) await new Promise((done) => blocker.close(done));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'akm-ports-'));
  dirs.push(dir);
  return dir;
}

/** Something else listening on a free port of 127.0.0.1, as another program would. */
async function takenPort(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
  return (blocker.address() as { port: number }).port;
}

/** Runs `akmatori serve` to its exit. */
function serveUntilExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'serve'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HOST: '127.0.0.1',
        GATEWAY_HOST: '127.0.0.1',
        AKMATORI_DATA_DIR: dataDir(),
        AKMATORI_EMBEDDED_WORKER: 'false',
        LOG_LEVEL: 'silent',
        ...env,
      },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('a port already taken', () => {
  it('the gateway port: one line naming GATEWAY_PORT, exit code 1, no stack trace', async () => {
    const port = await takenPort();
    const result = await serveUntilExit({ PORT: '0', GATEWAY_PORT: String(port) });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^akmatori: .*127\.0\.0\.1:\d+.*already in use.*Set GATEWAY_PORT/);
    expect(lines[0]).toContain(`:${port}`);
    expect(lines[0]).toContain('[AKM_PORT_IN_USE]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('the API port: one line naming PORT, exit code 1, no stack trace', async () => {
    const port = await takenPort();
    const result = await serveUntilExit({ PORT: String(port), GATEWAY_PORT: '0' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^akmatori: .*already in use.*Set PORT to a free port/);
    expect(lines[0]).toContain(`:${port}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('with PORT=0 and GATEWAY_PORT=0', () => {
  it('every URL handed out carries the port actually bound, not 0', async () => {
    const server = await startServerProcess({
      PORT: '0',
      GATEWAY_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      AKMATORI_DATA_DIR: dataDir(),
      AKMATORI_EMBEDDED_WORKER: 'false',
      ADMIN_PASSWORD: 'admin password for ports',
    });
    servers.push(server);
    const apiPort = new URL(server.url).port;
    const gateway = /MCP gateway: (http:\/\/\S+)\/mcp/.exec(server.output())?.[1];
    expect(gateway, server.output()).toBeDefined();
    const gatewayPort = new URL(gateway!).port;
    expect(apiPort).not.toBe('0');
    expect(gatewayPort).not.toBe('0');

    const call = async (method: string, url: string, body?: unknown, token?: string) => {
      const response = await fetch(`${server.url}${url}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const login = await call('POST', '/auth/login', {
      username: 'admin',
      password: 'admin password for ports',
    });
    const token = login.json.token as string;

    const source = await call(
      'POST',
      '/api/alert-sources',
      { source_type_name: 'alertmanager', name: 'prod', webhook_secret: 'a-long-webhook-secret' },
      token,
    );
    expect(source.status).toBe(201);
    expect(new URL(source.json.webhook_url as string).port).toBe(apiPort);
    const listed = await call('GET', '/api/alert-sources', undefined, token);
    for (const item of listed.json.data as { webhook_url: string }[])
      expect(new URL(item.webhook_url).port).toBe(apiPort);

    const tool = await call(
      'POST',
      '/api/tools',
      {
        tool_type_name: 'ssh',
        name: 'Prod web',
        settings: {
          hosts: [{ name: 'web-1', address: '127.0.0.1', user: 'ops', trust_on_first_use: true }],
          password: 'an ssh password',
        },
      },
      token,
    );
    expect(tool.status).toBe(201);
    const minted = await call(
      'POST',
      '/api/gateway/tokens',
      { tool_instance_ids: [tool.json.id] },
      token,
    );
    expect(minted.status).toBe(201);
    expect(minted.json.mcp_url).toBe(`${gateway}/mcp`);
    expect(new URL(minted.json.mcp_url as string).port).toBe(gatewayPort);
  });
});
