/**
 * The gateway's model proxy enforces the spend budgets, pins the model and strips hosted
 * tools: a real gateway on loopback with the in-memory store and a fake provider that records
 * what it received.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultSpendBudgets, type SpendBudgets } from '@akmatori/gateway';
import { startDemoGateway, type DemoGateway } from '@akmatori/test-support/gateway/demo-gateway';
import { startFakeLlmProvider, type FakeLlmProvider } from './fake-llm-provider.js';

const incidentA = '11111111-1111-4111-8111-111111111111';
const incidentB = '22222222-2222-4222-8222-222222222222';
const incidentC = '33333333-3333-4333-8333-333333333333';
const sourceOne = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const sourceTwo = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

/** 1000 input + 200 output tokens per response. */
const stream = Buffer.from(
  'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1"}}\n\n' +
    'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_1",' +
    '"model":"gpt-5-2026-01-01","usage":{"input_tokens":1000,"input_tokens_details":{"cached_tokens":0},' +
    '"output_tokens":200,"output_tokens_details":{"reasoning_tokens":50},"total_tokens":1200}}}\n\n',
);

let demo: DemoGateway;
let provider: FakeLlmProvider;

beforeAll(async () => {
  demo = await startDemoGateway({ secret: 'unused-secret', instances: [] });
  provider = await startFakeLlmProvider(({ res }) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(stream);
  });
});
afterAll(async () => {
  await provider.close();
  await demo.close();
});
beforeEach(() => {
  demo.store.provider = {
    provider: 'openai-compatible',
    baseUrl: provider.baseUrl,
    apiKey: 'sk-real',
    model: 'gpt-5',
  };
  demo.store.usage.length = 0;
  demo.store.incidentSources.set(incidentA, sourceOne);
  demo.store.incidentSources.set(incidentB, sourceOne);
  demo.store.incidentSources.set(incidentC, sourceTwo);
  demo.store.policy = { budgets: defaultSpendBudgets, prices: {} };
});
afterEach(() => {
  (provider.requests as unknown[]).length = 0;
});

const limit = (
  scope: keyof SpendBudgets,
  value: { maxTokens?: number; maxCostUsd?: number },
): void => {
  demo.store.policy = {
    ...demo.store.policy,
    budgets: {
      ...defaultSpendBudgets,
      [scope]: { maxTokens: value.maxTokens ?? null, maxCostUsd: value.maxCostUsd ?? null },
    },
  };
};

async function modelCall(
  runId: string,
  incidentId: string,
  body: unknown = { model: 'gpt-5', stream: true, input: [] },
): Promise<{
  status: number;
  body: Buffer;
  json: () => { error: { code: string; message: string } };
}> {
  const { token } = await demo.signer.sign({
    runId,
    incidentId,
    grants: [],
    model: true,
    ttlSeconds: 600,
  });
  const response = await fetch(`${demo.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    body: bytes,
    json: () => JSON.parse(bytes.toString('utf8')) as { error: { code: string; message: string } },
  };
}

describe('model proxy: spend budgets', () => {
  it('refuses the call after the one that used up the per-run budget, naming the budget, and never calls the provider', async () => {
    limit('perRun', { maxTokens: 1000 });
    const first = await modelCall('run-1', incidentA);
    expect(first.status).toBe(200);
    expect(first.body.equals(stream)).toBe(true);
    const second = await modelCall('run-1', incidentA);
    expect(second.status).toBe(400);
    expect(second.json().error).toEqual({
      code: 'AKM_GATEWAY_BUDGET_EXCEEDED',
      message: expect.stringContaining(
        'the per-run token budget (per-run) of 1,000 tokens is used up: 1,200 tokens spent',
      ) as string,
    });
    expect(provider.requests).toHaveLength(1);
    // Another run is not affected by this run's budget.
    expect((await modelCall('run-2', incidentA)).status).toBe(200);
  });

  it("refuses every run of an incident once the incident's budget is used up, including a follow-up", async () => {
    limit('perIncident', { maxTokens: 2000 });
    expect((await modelCall('run-1', incidentA)).status).toBe(200);
    expect((await modelCall('follow-up-1', incidentA)).status).toBe(200);
    const third = await modelCall('follow-up-2', incidentA);
    expect(third.status).toBe(400);
    expect(third.json().error.message).toContain('per-incident');
    expect((await modelCall('run-3', incidentC)).status).toBe(200);
  });

  it("refuses the incidents of an alert source once the source's daily budget is used up, not other sources'", async () => {
    limit('perSourcePerDay', { maxTokens: 1200 });
    expect((await modelCall('run-a', incidentA)).status).toBe(200);
    const other = await modelCall('run-b', incidentB);
    expect(other.status).toBe(400);
    expect(other.json().error.message).toContain("alert source's daily token budget");
    expect((await modelCall('run-c', incidentC)).status).toBe(200);
  });

  it("counts the daily budget from midnight UTC: yesterday's spend does not count", async () => {
    limit('perDay', { maxTokens: 1500 });
    const yesterday = new Date(Date.now() - 86_400_000 - 1000);
    demo.store.usage.push({
      runId: 'old',
      incidentId: incidentC,
      usage: {
        responseId: null,
        model: null,
        inputTokens: 10_000,
        cachedInputTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
      },
      costUsd: null,
      at: yesterday,
    });
    expect((await modelCall('run-1', incidentA)).status).toBe(200);
    expect((await modelCall('run-2', incidentB)).status).toBe(200);
    const third = await modelCall('run-3', incidentC);
    expect(third.status).toBe(400);
    expect(third.json().error.message).toContain('daily token budget (per-day) of 1,500 tokens');
  });

  it('prices each response at the configured model and enforces cost budgets', async () => {
    demo.store.policy = {
      budgets: { ...defaultSpendBudgets, perRun: { maxTokens: null, maxCostUsd: 0.003 } },
      prices: {
        'gpt-5': {
          input_per_million: 1.25,
          cached_input_per_million: 0.125,
          output_per_million: 10,
        },
      },
    };
    expect((await modelCall('run-1', incidentA)).status).toBe(200);
    expect(demo.store.usage.map((row) => row.costUsd)).toEqual([0.00325]);
    const second = await modelCall('run-1', incidentA);
    expect(second.status).toBe(400);
    expect(second.json().error.message).toContain(
      'the per-run cost budget (per-run) of $0.003 is used up: $0.00325 spent',
    );
  });

  it('refuses model calls (503) when the budgets cannot be read', async () => {
    const policy = demo.store.spendPolicy.bind(demo.store);
    demo.store.spendPolicy = () => Promise.reject(new Error('database is down'));
    try {
      const call = await modelCall('run-1', incidentA);
      expect(call.status).toBe(503);
      expect(call.json().error.code).toBe('AKM_GATEWAY_BUDGET_UNAVAILABLE');
      expect(provider.requests).toHaveLength(0);
    } finally {
      demo.store.spendPolicy = policy;
    }
  });
});

describe('model proxy: pinned model and no hosted tools', () => {
  it('sends the provider the configured model and only local tools, and the worker the bytes unchanged', async () => {
    const call = await modelCall('run-1', incidentA, {
      model: 'o3-pro',
      stream: true,
      input: [{ type: 'message', role: 'user', content: 'disk full' }],
      tools: [
        { type: 'function', name: 'exec_command', parameters: { type: 'object' } },
        { type: 'web_search' },
        { type: 'mcp', server_label: 'evil', server_url: 'https://mcp.example.com/sse' },
        { type: 'custom', name: 'apply_patch' },
        { type: 'file_search', vector_store_ids: ['vs_1'] },
      ],
      tool_choice: 'auto',
    });
    expect(call.status).toBe(200);
    expect(call.body.equals(stream)).toBe(true);
    const sent = JSON.parse(provider.requests[0]!.body.toString('utf8')) as Record<string, unknown>;
    expect(sent).toEqual({
      model: 'gpt-5',
      stream: true,
      input: [{ type: 'message', role: 'user', content: 'disk full' }],
      tools: [
        { type: 'function', name: 'exec_command', parameters: { type: 'object' } },
        { type: 'custom', name: 'apply_patch' },
      ],
      tool_choice: 'auto',
    });
    expect(provider.requests[0]!.headers['content-length']).toBe(
      String(provider.requests[0]!.body.length),
    );
  });

  it('answers 400 to a body that is not JSON, without calling the provider', async () => {
    const { token } = await demo.signer.sign({
      runId: 'run-1',
      incidentId: incidentA,
      grants: [],
      model: true,
      ttlSeconds: 600,
    });
    const response = await fetch(`${demo.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"model": "gpt-5", ',
    });
    expect(response.status).toBe(400);
    expect(provider.requests).toHaveLength(0);
  });
});
