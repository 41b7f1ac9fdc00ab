import { existsSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { PluginHost } from '@akmatori/core';
import type { TestHost } from '@akmatori/host/testing';
import { builtinTools } from '@akmatori/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshToolSettings, startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { GatewayDatabaseStore } from '../src/gateway/gateway-database-store.js';
import { NO_INCIDENT } from '../src/gateway/run-tokens.js';
import { startGateway, type RunningGateway } from '../src/gateway/start-gateway.js';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

let sshd: RunningSshd;
let host: TestHost;
let gateway: RunningGateway;
let admin: Record<string, string>;
let logs: () => string;
let client: Client;
let instanceId: string;
const scratch = `/tmp/akmatori-gateway-e2e-${randomUUID()}`;

const text = (result: unknown): string =>
  ((result as CallToolResult).content[0] as { text: string }).text;

beforeAll(async () => {
  sshd = await startSshd();
  const captured = capturedLogger();
  logs = captured.text;
  host = await startApp({ log: captured.log, config: { gatewayPort: 0 } });
  admin = bearer(await setUpAdmin(host));
  // The app registers the built-in tools in its own container; the gateway gets the same.
  const plugins = new PluginHost();
  plugins.register(builtinTools());
  gateway = await startGateway({
    config: host.config,
    store: new GatewayDatabaseStore({
      knex: host.database.knex,
      secretBox: host.secretBox,
      plugins,
      clock: { now: () => new Date() },
      log: captured.log,
    }),
    plugins,
    log: captured.log,
  });
  const created = await host.inject({
    method: 'POST',
    url: '/api/tools',
    headers: admin,
    payload: {
      tool_type_name: 'ssh',
      name: 'web',
      settings: sshToolSettings(sshd, { allowWrite: true }),
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  instanceId = created.json<{ id: string }>().id;
  const minted = await host.inject({
    method: 'POST',
    url: '/api/gateway/tokens',
    headers: admin,
    payload: { tool_instance_ids: [instanceId], ttl_seconds: 600 },
  });
  expect(minted.statusCode, minted.body).toBe(201);
  const { token } = minted.json<{ token: string }>();
  client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
}, 120_000);

afterAll(async () => {
  rmSync(scratch, { force: true });
  await client?.close();
  await gateway?.close();
  await host?.close();
  await sshd?.stop();
});

describe('the gateway in front of a real sshd', () => {
  it('lists the SSH tools of the granted instance', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'web__execute_command',
      'web__get_server_info',
      'web__test_connectivity',
    ]);
  });

  it('runs a read-only command with the stored key, which never comes back', async () => {
    const result = await client.callTool({
      name: 'web__execute_command',
      arguments: { command: 'uname -s' },
    });
    expect(result.isError, text(result)).toBe(false);
    expect(text(result)).toContain('Linux');
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
  });

  it('holds a write until an operator approves it through the API, then runs it', async () => {
    const pending = client.callTool({
      name: 'web__execute_command',
      arguments: { command: `touch ${scratch}` },
    });
    let approvalId: string | undefined;
    for (let attempt = 0; attempt < 200 && approvalId === undefined; attempt++) {
      const list = await host.inject({
        method: 'GET',
        url: '/api/approvals?status=pending',
        headers: admin,
      });
      approvalId = list.json<{ data: { id: string }[] }>().data[0]?.id;
      if (approvalId === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(approvalId, 'no approval request appeared').toBeDefined();
    expect(existsSync(scratch)).toBe(false);
    const approved = await host.inject({
      method: 'POST',
      url: `/api/approvals/${approvalId}/approve`,
      headers: admin,
      payload: {},
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const result = await pending;
    expect(result.isError, text(result)).toBe(false);
    expect(existsSync(scratch)).toBe(true);
  });

  it('records every call in the audit log, readable through the API', async () => {
    const response = await host.inject({
      method: 'GET',
      url: `/api/incidents/${NO_INCIDENT}/tool-calls`,
      headers: admin,
    });
    const calls = response.json<{
      data: { tool: string; decision: string; status: string; arguments: { command: string } }[];
    }>().data;
    expect(calls.map((call) => [call.arguments.command, call.decision, call.status])).toEqual([
      ['uname -s', 'allowed', 'ok'],
      [`touch ${scratch}`, 'approved', 'ok'],
    ]);
    expect(logs()).not.toContain(sshd.clientPrivateKey.split('\n')[1]);
  });
});
