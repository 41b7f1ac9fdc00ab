import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@akmatori/core';
import type { TestHost } from '@akmatori/host/testing';
import { sshTools } from '@akmatori/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { freePort } from '@akmatori/test-support/peers/process';
import { testConnectivity } from '../src/tools/tool-connectivity.js';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

let sshd: RunningSshd;
let host: TestHost;
let admin: Record<string, string>;
let logs: () => string;

beforeAll(async () => {
  sshd = await startSshd();
  const captured = capturedLogger();
  logs = captured.text;
  host = await startApp({ log: captured.log });
  admin = bearer(await setUpAdmin(host));
});
afterAll(async () => {
  await host?.close();
  await sshd?.stop();
});

const sshHost = (change: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'web-1',
  address: sshd.address,
  port: sshd.port,
  user: sshd.user,
  ...(sshd.userIsRoot ? { allow_root: true } : {}),
  host_key_fingerprint: sshd.hostKeyFingerprint,
  ...change,
});

async function createTool(body: Record<string, unknown>): Promise<string> {
  const created = await host.inject({
    method: 'POST',
    url: '/api/tools',
    headers: admin,
    payload: body,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ id: string }>().id;
}

async function test(id: string): Promise<{ ok: boolean; tool: string; message: string }> {
  const response = await host.inject({
    method: 'POST',
    url: `/api/tools/${id}/test`,
    headers: admin,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('POST /api/tools/{id}/test', () => {
  it('logs in to a real sshd with the stored key and says ok', async () => {
    const id = await createTool({
      tool_type_name: 'ssh',
      name: 'reachable',
      settings: { hosts: [sshHost()], private_key: sshd.clientPrivateKey },
    });
    const report = await test(id);
    expect(report, sshd.output()).toMatchObject({ ok: true, tool: 'test_connectivity' });
    expect(report.message).toContain('web-1');
  });

  it('reports the error when the host key is not the pinned one', async () => {
    const id = await createTool({
      tool_type_name: 'ssh',
      name: 'wrong-key',
      settings: {
        hosts: [sshHost({ host_key_fingerprint: `SHA256:${'A'.repeat(43)}` })],
        private_key: sshd.clientPrivateKey,
      },
    });
    const report = await test(id);
    expect(report.ok).toBe(false);
    expect(report.message.toLowerCase()).toContain('host key');
  });

  it('reports a refused connection for a port nobody listens on', async () => {
    const id = await createTool({
      tool_type_name: 'ssh',
      name: 'closed-port',
      settings: { hosts: [sshHost({ port: await freePort() })], password: 'not-used-here' },
    });
    const report = await test(id);
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/refused|ECONNREFUSED/i);
  });

  it('reports a Zabbix API that cannot be reached, without its token', async () => {
    const token = 'zabbix-token-that-must-not-leak';
    const id = await createTool({
      tool_type_name: 'zabbix',
      name: 'zabbix-down',
      settings: {
        api_url: `http://127.0.0.1:${await freePort()}/api_jsonrpc.php`,
        api_token: token,
      },
    });
    const report = await test(id);
    expect(report).toMatchObject({ ok: false, tool: 'get_hosts' });
    expect(report.message).not.toBe('');
    expect(report.message).not.toContain(token);
    expect(logs()).not.toContain(token);
  });

  it('is 404 for an unknown instance and for admins only', async () => {
    const missing = await host.inject({
      method: 'POST',
      url: '/api/tools/00000000-0000-4000-8000-000000000000/test',
      headers: admin,
    });
    expect(missing.json()).toMatchObject({ code: 'AKM_NOT_FOUND' });
    const anonymous = await host.inject({
      method: 'POST',
      url: '/api/tools/00000000-0000-4000-8000-000000000000/test',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('the connectivity test', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never says a word: an SSH server that hangs.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up on a target that never answers once its time is up', async () => {
    const { port } = silent.address() as AddressInfo;
    const report = await testConnectivity(
      { secretBox: host.secretBox, log: silentLogger() },
      sshTools,
      {
        id: '00000000-0000-4000-8000-000000000001',
        toolType: 'ssh',
        name: 'hangs',
        settings: { hosts: [sshHost({ address: '127.0.0.1', port })] },
        secrets: {},
        enabled: true,
        createdAt: new Date(),
        updatedAt: new Date(),
      },
      300,
    );
    expect(report).toMatchObject({ ok: false, tool: 'test_connectivity' });
    expect(sockets.length, 'the probe connected to the silent server').toBeGreaterThan(0);
  });
});
