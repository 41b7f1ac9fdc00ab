import type { TestHost } from '@akmatori/host/testing';
import { RunTokenVerifier } from '@akmatori/gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, openTestDatabase } from '@akmatori/test-support/databases';
import { GatewayDatabaseStore } from '../src/gateway/gateway-database-store.js';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

const API_KEY = 'sk-live-key-that-must-never-leave';
const SSH_PASSWORD = 'ssh-password-that-must-not-leak';

let host: TestHost;
let admin: Record<string, string>;
let logs: () => string;

beforeEach(async () => {
  const captured = capturedLogger();
  logs = captured.text;
  host = await startApp({ log: captured.log });
  admin = bearer(await setUpAdmin(host));
});
afterEach(async () => {
  await host.close();
});

const api = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: Record<string, unknown>,
  headers: Record<string, string> = admin,
) => host.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

const store = (): GatewayDatabaseStore =>
  new GatewayDatabaseStore({
    knex: host.database.knex,
    secretBox: host.secretBox,
    plugins: host.plugins,
    clock: host.clock,
    log: capturedLogger().log,
  });

async function createSshInstance(): Promise<string> {
  const response = await api('POST', '/api/tools', {
    tool_type_name: 'ssh',
    name: 'Prod web',
    settings: {
      hosts: [{ name: 'web-1', address: '127.0.0.1', user: 'ops', trust_on_first_use: true }],
      password: SSH_PASSWORD,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

describe('LLM settings', () => {
  it('before setup, GET answers 200 with the empty settings, not a 404', async () => {
    const got = await api('GET', '/api/settings/llm');
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toEqual({
      provider: 'openai',
      base_url: 'https://api.openai.com/v1',
      model: '',
      reasoning_effort: null,
      api_key: null,
      configured: false,
    });
  });

  it('store the API key sealed and never return it', async () => {
    const put = await api('PUT', '/api/settings/llm', {
      provider: 'openai',
      api_key: API_KEY,
      model: 'gpt-5.5',
      reasoning_effort: 'medium',
    });
    expect(put.statusCode, put.body).toBe(200);
    const got = await api('GET', '/api/settings/llm');
    expect(got.json()).toEqual({
      provider: 'openai',
      base_url: 'https://api.openai.com/v1',
      model: 'gpt-5.5',
      reasoning_effort: 'medium',
      api_key: { set: true },
      configured: true,
    });
    const stored = await host.database.executeSql<{ value: unknown }>(
      "select value from settings where key like 'llm%'",
    );
    expect(JSON.stringify(stored.rows)).not.toContain(API_KEY);
    expect(put.body + got.body + logs()).not.toContain(API_KEY);
    expect(await store().llmProvider()).toMatchObject({ apiKey: API_KEY, model: 'gpt-5.5' });
  });

  it('keep the stored key when {"set": true} is sent back, and need one the first time', async () => {
    const first = await api('PUT', '/api/settings/llm', { provider: 'openai', model: 'm' });
    expect(first.statusCode).toBe(400);
    expect(first.json()).toMatchObject({ code: 'AKM_VALIDATION' });
    await api('PUT', '/api/settings/llm', {
      provider: 'openai-compatible',
      base_url: 'http://127.0.0.1:9/v1',
      api_key: API_KEY,
      model: 'm',
    });
    // The same base_url (a trailing slash aside): a new one needs the key again
    // (secret-destinations.test.ts).
    const second = await api('PUT', '/api/settings/llm', {
      provider: 'openai-compatible',
      base_url: 'http://127.0.0.1:9/v1/',
      api_key: { set: true },
      model: 'other',
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(await store().llmProvider()).toMatchObject({
      apiKey: API_KEY,
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'other',
    });
  });

  it('need a base_url for an openai-compatible provider', async () => {
    const response = await api('PUT', '/api/settings/llm', {
      provider: 'openai-compatible',
      api_key: API_KEY,
      model: 'm',
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('POST /api/gateway/tokens', () => {
  it('mints a token for the admin that the gateway accepts, granting every tool of the instance', async () => {
    const id = await createSshInstance();
    const response = await api('POST', '/api/gateway/tokens', {
      tool_instance_ids: [id],
      ttl_seconds: 120,
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json<{ token: string; mcp_url: string; tools: string[] }>();
    expect(body.mcp_url).toBe(`${host.config.gatewayUrl}/mcp`);
    expect(body.tools.sort()).toEqual([
      'prod_web__execute_command',
      'prod_web__get_server_info',
      'prod_web__test_connectivity',
    ]);
    const verifier = await RunTokenVerifier.fromJwk(await store().runTokenPublicKey());
    const claims = await verifier.verify(body.token);
    expect(claims.grants).toEqual([
      { instanceId: id, tools: ['execute_command', 'test_connectivity', 'get_server_info'] },
    ]);
    expect(claims.model).toBe(false);
    expect(logs()).not.toContain(body.token);
  });

  it('is refused to an API token (admin login only)', async () => {
    const id = await createSshInstance();
    const created = await api('POST', '/api/tokens', { name: 'automation' });
    const apiToken = created.json<{ token: string }>().token;
    const response = await api(
      'POST',
      '/api/gateway/tokens',
      { tool_instance_ids: [id] },
      bearer(apiToken),
    );
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'AKM_ADMIN_ONLY' });
  });

  it('answers 404 for an unknown tool instance', async () => {
    const response = await api('POST', '/api/gateway/tokens', {
      tool_instance_ids: ['44444444-4444-4444-8444-444444444444'],
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('approvals', () => {
  const request = (toolInstanceId: string, timeoutMs = 60_000) => ({
    runId: 'run-a',
    incidentId: '11111111-1111-4111-8111-111111111111',
    toolInstanceId,
    tool: 'execute_command',
    action: { summary: 'run "systemctl restart nginx" on web-1', details: { command: 'x' } },
    timeoutMs,
  });

  async function pendingId(): Promise<string> {
    for (;;) {
      const list = await api('GET', '/api/approvals?status=pending');
      const first = list.json<{ data: { id: string }[] }>().data[0];
      if (first !== undefined) return first.id;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('an approval lets the waiting call go on, and cannot be decided twice', async () => {
    const id = await createSshInstance();
    const waiting = store().awaitApproval(request(id), new AbortController().signal);
    const approvalId = await pendingId();
    const approved = await api('POST', `/api/approvals/${approvalId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decided_by: 'user:admin' });
    expect(await waiting).toEqual({
      approved: true,
      outcome: 'approved',
      reason: 'approved by user:admin',
    });
    const again = await api('POST', `/api/approvals/${approvalId}/deny`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AKM_APPROVAL_DECIDED' });
  });

  it('a denial reaches the agent with the reason', async () => {
    const id = await createSshInstance();
    const waiting = store().awaitApproval(request(id), new AbortController().signal);
    const approvalId = await pendingId();
    await api('POST', `/api/approvals/${approvalId}/deny`, { reason: 'not during business hours' });
    expect(await waiting).toEqual({
      approved: false,
      outcome: 'denied',
      reason: 'denied by user:admin: not during business hours',
    });
  });

  it('a request nobody decides expires, and then cannot be approved', async () => {
    const id = await createSshInstance();
    const waiting = store().awaitApproval(request(id, 5_000), new AbortController().signal);
    const approvalId = await pendingId();
    host.clock.advance(6_000);
    expect(await waiting).toMatchObject({ approved: false, outcome: 'expired' });
    const late = await api('POST', `/api/approvals/${approvalId}/approve`, {});
    expect(late.statusCode).toBe(409);
  });
});

describe.each(backends)('the tool call audit log on %s', (backend) => {
  it('is insert-only: updates and deletes are refused by the database', async () => {
    const database = await openTestDatabase(backend);
    try {
      await database.migrate();
      await database.knex('tool_calls').insert({
        run_id: 'r',
        incident_id: '11111111-1111-4111-8111-111111111111',
        tool: 'execute_command',
        arguments: '{}',
        decision: 'allowed',
        status: 'ok',
        output_bytes: 0,
        duration_ms: 1,
        started_at: new Date(),
      });
      await expect(database.knex('tool_calls').update({ status: 'error' })).rejects.toThrow(
        /insert-only/,
      );
      await expect(database.knex('tool_calls').del()).rejects.toThrow(/insert-only/);
      const [{ n }] = (await database.knex('tool_calls').count({ n: '*' })) as [{ n: unknown }];
      expect(Number(n), 'the refused delete removed the record').toBe(1);
    } finally {
      await database.close();
    }
  });
});

describe('GET /api/incidents/{uuid}/tool-calls', () => {
  it("returns the incident's audit records, oldest first, from a cursor", async () => {
    const incident = '11111111-1111-4111-8111-111111111111';
    const gatewayStore = store();
    for (const tool of ['test_connectivity', 'execute_command']) {
      await gatewayStore.recordToolCall({
        runId: 'run-a',
        incidentId: incident,
        toolInstanceId: null,
        toolInstanceName: 'Prod web',
        tool,
        arguments: { command: 'uptime' },
        decision: 'allowed',
        status: 'ok',
        exitCode: 0,
        outputBytes: 10,
        durationMs: 5,
        error: null,
        startedAt: new Date(),
      });
    }
    const all = await api('GET', `/api/incidents/${incident}/tool-calls`);
    const data = all.json<{ data: { id: number; tool: string }[] }>().data;
    expect(data.map((entry) => entry.tool)).toEqual(['test_connectivity', 'execute_command']);
    const after = await api('GET', `/api/incidents/${incident}/tool-calls?after=${data[0]!.id}`);
    expect(after.json<{ data: { tool: string }[] }>().data.map((entry) => entry.tool)).toEqual([
      'execute_command',
    ]);
  });
});
