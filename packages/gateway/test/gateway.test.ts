import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  RunTokenSigner,
  SCRUBBED,
  createRunTokenKeys,
  type Gateway,
  type RunTokenKeys,
  type RunTokenRequest,
} from '@akmatori/gateway';
import { startDemoGateway } from '@akmatori/test-support/gateway/demo-gateway';
import { cutAt, startFakeLlmProvider, writePieces } from './fake-llm-provider.js';
import type { MemoryGatewayStore } from '@akmatori/test-support/gateway/memory-store';
import { postMcpInitialize } from '@akmatori/test-support/gateway/mcp-initialize';

const SECRET = 'super-secret-token-value';
const incidentId = '11111111-1111-4111-8111-111111111111';
const alpha = '22222222-2222-4222-8222-222222222222';
const beta = '33333333-3333-4333-8333-333333333333';

let keys: RunTokenKeys;
let store: MemoryGatewayStore;
let signer: RunTokenSigner;
let gateway: Gateway;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  const demo = await startDemoGateway({
    secret: SECRET,
    instances: [
      { id: alpha, name: 'Alpha box' },
      { id: beta, name: 'beta' },
    ],
  });
  ({ keys, signer, store, gateway, url } = demo);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  store.toolCalls.length = 0;
  store.approvalRequests.length = 0;
});

afterAll(async () => {
  await gateway.close();
});

async function token(overrides: Partial<RunTokenRequest> = {}): Promise<string> {
  const signed = await signer.sign({
    runId: 'run-1',
    incidentId,
    grants: [{ instanceId: alpha, tools: ['echo', 'write_file', 'fail'] }],
    model: false,
    ttlSeconds: 300,
    ...overrides,
  });
  return signed.token;
}

async function connect(bearer: string | undefined): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' });
  const headers: Record<string, string> =
    bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` };
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }),
  );
  clients.push(client);
  return client;
}

async function connectError(bearer: string | undefined): Promise<unknown> {
  return connect(bearer).then(
    () => undefined,
    (error: unknown) => error,
  );
}

const text = (result: unknown): string =>
  ((result as CallToolResult).content[0] as { text: string }).text;

describe('the MCP gateway', () => {
  it('refuses an MCP client with no token (401)', async () => {
    const error = await connectError(undefined);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(401);
  });

  it('refuses a token signed with another key (401)', async () => {
    const other = await RunTokenSigner.fromJwk((await createRunTokenKeys()).privateJwk);
    const forged = await other.sign({
      runId: 'run-1',
      incidentId,
      grants: [{ instanceId: alpha, tools: ['echo'] }],
      model: true,
      ttlSeconds: 300,
    });
    const error = await connectError(forged.token);
    expect((error as StreamableHTTPError).code).toBe(401);
  });

  it('refuses an expired token (401, saying it expired)', async () => {
    const late = await RunTokenSigner.fromJwk(
      keys.privateJwk,
      () => new Date(Date.now() - 3_600_000),
    );
    const expired = await late.sign({
      runId: 'run-1',
      incidentId,
      grants: [],
      model: false,
      ttlSeconds: 60,
    });
    const response = await postInitialize(expired.token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await response.json()).toMatchObject({ error: { code: 'AKM_GATEWAY_TOKEN_EXPIRED' } });
    const error = await connectError(expired.token);
    expect((error as StreamableHTTPError).code).toBe(401);
  });

  it('lists only the tools the token grants, with readOnlyHint on read-only ones', async () => {
    const client = await connect(
      await token({ grants: [{ instanceId: alpha, tools: ['echo', 'write_file'] }] }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'alpha_box__echo',
      'alpha_box__write_file',
    ]);
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName.alpha_box__echo?.annotations?.readOnlyHint).toBe(true);
    expect(byName.alpha_box__write_file?.annotations?.readOnlyHint).toBe(false);
  });

  it('lists nothing for a grant of an unknown or disabled tool instance', async () => {
    const client = await connect(
      await token({
        grants: [{ instanceId: '44444444-4444-4444-8444-444444444444', tools: ['echo'] }],
      }),
    );
    expect((await client.listTools()).tools).toEqual([]);
  });

  it('refuses a tool outside the allowlist and records the refusal', async () => {
    const client = await connect(await token({ grants: [{ instanceId: alpha, tools: ['echo'] }] }));
    await expect(
      client.callTool({ name: 'beta__echo', arguments: { text: 'hi' } }),
    ).rejects.toThrow(/not available to this run/);
    await expect(
      client.callTool({ name: 'alpha_box__write_file', arguments: { path: '/x' } }),
    ).rejects.toThrow(/not available to this run/);
    expect(store.toolCalls.map((call) => [call.tool, call.decision])).toEqual([
      ['beta__echo', 'refused'],
      ['alpha_box__write_file', 'refused'],
    ]);
  });

  it('runs a granted tool with the instance credentials and scrubs the secret from what returns', async () => {
    const client = await connect(await token());
    const result = await client.callTool({ name: 'alpha_box__echo', arguments: { text: 'hello' } });
    expect(result.isError).toBe(false);
    expect(text(result)).toBe(`Alpha box says hello (token ${SCRUBBED})`);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(store.toolCalls).toHaveLength(1);
    expect(store.toolCalls[0]).toMatchObject({
      runId: 'run-1',
      incidentId,
      toolInstanceId: alpha,
      tool: 'echo',
      arguments: { text: 'hello' },
      decision: 'allowed',
      status: 'ok',
    });
  });

  it('scrubs secrets from the arguments it records and from a thrown error', async () => {
    const client = await connect(await token());
    await client.callTool({ name: 'alpha_box__echo', arguments: { text: SECRET } });
    const failed = await client.callTool({ name: 'alpha_box__fail', arguments: {} });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toContain('boom with');
    expect(JSON.stringify(store.toolCalls)).not.toContain(SECRET);
    expect(JSON.stringify(failed)).not.toContain(SECRET);
  });

  it('refuses arguments that do not match the input schema, saying which', async () => {
    const client = await connect(await token());
    const result = await client.callTool({
      name: 'alpha_box__echo',
      arguments: { text: 7, more: 1 },
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Invalid arguments: .*text/);
    expect(store.toolCalls[0]).toMatchObject({ decision: 'refused', status: 'refused' });
  });

  it('asks for approval before a write and tells the agent when it is denied', async () => {
    store.answer = () => ({
      approved: false,
      outcome: 'denied',
      reason: 'denied by admin: not now',
    });
    const client = await connect(await token());
    const result = await client.callTool({
      name: 'alpha_box__write_file',
      arguments: { path: '/etc/x' },
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('Not written: denied by admin: not now');
    expect(store.approvalRequests.at(-1)).toMatchObject({
      runId: 'run-1',
      toolInstanceId: alpha,
      tool: 'write_file',
      action: { summary: 'write /etc/x' },
    });
    expect(store.toolCalls[0]).toMatchObject({ decision: 'denied', status: 'refused' });
  });

  it('runs an approved write and records the approval', async () => {
    store.answer = () => ({ approved: true, outcome: 'approved', reason: 'approved by admin' });
    const client = await connect(await token());
    const result = await client.callTool({
      name: 'alpha_box__write_file',
      arguments: { path: '/tmp/y' },
    });
    expect(text(result)).toBe('wrote /tmp/y');
    expect(store.toolCalls[0]).toMatchObject({ decision: 'approved', status: 'ok', exitCode: 0 });
  });

  it('refuses a Host header it does not answer to (DNS rebinding)', async () => {
    // fetch will not send a foreign Host header; node:http will.
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const request = httpRequest(
          `${url}/health`,
          { headers: { host: 'evil.example.com' } },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        request.on('error', reject);
        request.end();
      },
    );
    expect(status).toBe(403);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'AKM_GATEWAY_HOST_NOT_ALLOWED' } });
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('refuses to let another run use an open session', async () => {
    const first = await postInitialize(await token());
    const sessionId = first.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    const response = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token({ runId: 'run-2' })}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId!,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(response.status).toBe(403);
  });

  it('proxies a model call of a run byte for byte, adding the real key and recording usage', async () => {
    const stream = Buffer.from(
      'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_9"}}\n\n' +
        'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_9","model":"m1",' +
        '"usage":{"input_tokens":12,"input_tokens_details":{"cached_tokens":4},"output_tokens":7,' +
        '"output_tokens_details":{"reasoning_tokens":3},"total_tokens":19}}}\n\n',
    );
    const provider = await startFakeLlmProvider(async ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      await writePieces(res, cutAt(stream, [5, 40, 41, 100]));
      res.end();
    });
    store.provider = {
      provider: 'openai-compatible',
      baseUrl: provider.baseUrl,
      apiKey: 'sk-real-provider-key',
    };
    try {
      const runToken = await token({ model: true, runId: 'run-model' });
      const response = await fetch(`${url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm1', stream: true, input: [] }),
      });
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(stream)).toBe(true);
      const seen = provider.requests[0]!;
      expect(seen.path).toBe('/v1/responses');
      expect(seen.headers.authorization).toBe('Bearer sk-real-provider-key');
      expect(JSON.stringify(seen.headers)).not.toContain(runToken);
      expect(store.usage).toMatchObject([
        {
          runId: 'run-model',
          costUsd: null,
          usage: {
            responseId: 'resp_9',
            model: 'm1',
            inputTokens: 12,
            cachedInputTokens: 4,
            outputTokens: 7,
            reasoningTokens: 3,
          },
        },
      ]);
    } finally {
      store.provider = undefined;
      await provider.close();
    }
  });

  it('refuses model calls to a token without model access', async () => {
    const response = await fetch(`${url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: { code: 'AKM_GATEWAY_MODEL_NOT_ALLOWED' },
    });
  });
});

const postInitialize = (bearer: string): Promise<Response> => postMcpInitialize(url, bearer);
