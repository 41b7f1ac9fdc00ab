import { PluginHost } from '@akmatori/core';
import type { TestHost } from '@akmatori/host/testing';
import { builtinTools } from '@akmatori/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { sshToolSettings, startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { GatewayDatabaseStore } from '../src/gateway/gateway-database-store.js';
import { NO_INCIDENT } from '../src/gateway/run-tokens.js';
import { startGateway, type RunningGateway } from '../src/gateway/start-gateway.js';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

// Commands the agent sends carry secrets of their own (a database password, a bearer token):
// the log, the approval request and the audit record show the command with them scrubbed.

let sshd: RunningSshd;
let host: TestHost;
let gateway: RunningGateway;
let admin: Record<string, string>;
let logs: () => string;
let client: Client;

/** Commands with a secret written into them, and that secret. */
const commands = [
  { secret: 'echo-inline-secret-1', command: 'echo PGPASSWORD=echo-inline-secret-1' },
  {
    secret: 'pg-inline-secret-2',
    command: "PGPASSWORD=pg-inline-secret-2 psql -h db -c 'select 1'",
  },
  {
    secret: 'mysql-inline-secret-3',
    command: 'mysql -umon -pmysql-inline-secret-3 -e "show status"',
  },
  {
    secret: 'bearer-inline-secret-4',
    command: "curl -s -H 'Authorization: Bearer bearer-inline-secret-4' http://127.0.0.1:9/x",
  },
  { secret: 'url-inline-secret-5', command: 'curl -s http://mon:url-inline-secret-5@127.0.0.1:9/' },
];

const text = (result: unknown): string =>
  ((result as CallToolResult).content[0] as { text: string }).text;

const api = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  host.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) });

/** Calls the tool; denies the approval it asks for, if it asks. */
async function run(command: string): Promise<CallToolResult> {
  let settled = false;
  const call = client
    .callTool({ name: 'web__execute_command', arguments: { command } })
    .finally(() => {
      settled = true;
    });
  await pollUntil(`"${command}" to finish or ask for approval`, async () => {
    if (settled) return true;
    const pending = (await api('GET', '/api/approvals?status=pending')).json<{
      data: { id: string }[];
    }>().data;
    for (const { id } of pending)
      await api('POST', `/api/approvals/${id}/deny`, { reason: 'test' });
    return pending.length > 0 ? true : undefined;
  });
  return (await call) as CallToolResult;
}

beforeAll(async () => {
  sshd = await startSshd();
  const captured = capturedLogger();
  logs = captured.text;
  host = await startApp({ log: captured.log, config: { gatewayPort: 0 } });
  admin = bearer(await setUpAdmin(host));
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
  const created = await api('POST', '/api/tools', {
    tool_type_name: 'ssh',
    name: 'web',
    settings: sshToolSettings(sshd, { allowWrite: true }),
  });
  expect(created.statusCode, created.body).toBe(201);
  const minted = await api('POST', '/api/gateway/tokens', {
    tool_instance_ids: [created.json<{ id: string }>().id],
    ttl_seconds: 600,
  });
  expect(minted.statusCode, minted.body).toBe(201);
  client = new Client({ name: 'scrubbing', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
      requestInit: {
        headers: { Authorization: `Bearer ${minted.json<{ token: string }>().token}` },
      },
    }),
  );
  for (const { command } of commands) await run(command);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await host?.close();
  await sshd?.stop();
});

describe('command text with secrets in it, sent through the gateway to a real sshd', () => {
  it('ran the read-only one for real (the agent sees its own output)', async () => {
    const result = await run('echo PGPASSWORD=echo-inline-secret-1');
    expect(result.isError, text(result)).toBe(false);
    expect(text(result)).toContain('PGPASSWORD=echo-inline-secret-1');
  });

  it('writes every command to the log with its secret scrubbed', () => {
    for (const { secret } of commands) expect(logs()).not.toContain(secret);
    const judged = logs()
      .split('\n')
      .filter((line) => line.includes('ssh command judged'))
      .map((line) => (JSON.parse(line) as { command: string }).command);
    expect(judged).toEqual(
      expect.arrayContaining([
        'echo PGPASSWORD=[secret scrubbed]',
        "PGPASSWORD=[secret scrubbed] psql -h db -c 'select 1'",
        'mysql -umon -p[secret scrubbed] -e "show status"',
        "curl -s -H 'Authorization: Bearer [secret scrubbed]' http://127.0.0.1:9/x",
        'curl -s http://mon:[secret scrubbed]@127.0.0.1:9/',
      ]),
    );
  });

  it('asked for approval with the secrets scrubbed from the summary and the details', async () => {
    const approvals = (await api('GET', '/api/approvals')).json<{
      data: { summary: string; details: { command: string } }[];
    }>().data;
    expect(approvals.length, 'some of these commands need approval').toBeGreaterThan(0);
    const body = JSON.stringify(approvals);
    for (const { secret } of commands) expect(body).not.toContain(secret);
    expect(approvals.map((a) => a.details.command)).toContain(
      'mysql -umon -p[secret scrubbed] -e "show status"',
    );
  });

  it('keeps the audit record of every call without the secrets', async () => {
    const response = await api('GET', `/api/incidents/${NO_INCIDENT}/tool-calls`);
    const calls = response.json<{
      data: { arguments: { command: string }; error: string | null }[];
    }>().data;
    expect(calls.length).toBeGreaterThanOrEqual(commands.length);
    for (const { secret } of commands) expect(response.body).not.toContain(secret);
    expect(calls.map((call) => call.arguments.command)).toContain(
      "PGPASSWORD=[secret scrubbed] psql -h db -c 'select 1'",
    );
  });
});
