import path from 'node:path';
import type { RunEvent } from '@akmatori/core';
import { SCRUBBED } from '@akmatori/gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepareRunWorkspace, renderAgentsMd, runCodex } from '../src/index.js';
import {
  mcp,
  message,
  startScriptedModel,
  type ScenarioTurn,
  type ScriptedModel,
} from '../src/testing/index.js';
import { makeTempDir, type TempDir } from '@akmatori/test-support/peers/process';
import { startDemoGateway, type DemoGateway } from '@akmatori/test-support/gateway/demo-gateway';
import { processEnvironment, recordEvents, SCRIPTED_MODEL } from './support/codex-kit.js';

// Codex talks to the real MCP gateway for both the model (its proxy forwards to the scripted
// model with the real provider key) and the tools (the demo provider's instance "Alpha box").

const PROVIDER_KEY = 'sk-real-provider-key-never-in-codex';
const INSTANCE_SECRET = 'alpha-instance-secret-value';
const incidentId = '11111111-1111-4111-8111-111111111111';
const alpha = '22222222-2222-4222-8222-222222222222';

let store: DemoGateway['store'];
let signer: DemoGateway['signer'];
let gateway: DemoGateway['gateway'];
let gatewayUrl: string;
let model: ScriptedModel | undefined;
let dir: TempDir | undefined;

beforeAll(async () => {
  ({
    signer,
    store,
    gateway,
    url: gatewayUrl,
  } = await startDemoGateway({
    secret: INSTANCE_SECRET,
    instances: [{ id: alpha, name: 'Alpha box' }],
  }));
});

afterEach(async () => {
  store.provider = undefined;
  store.toolCalls.length = 0;
  store.approvalRequests.length = 0;
  await model?.close();
  dir?.remove();
});

afterAll(async () => {
  await gateway.close();
});

async function runThroughGateway(
  turns: readonly ScenarioTurn[],
  modelName: string,
  configOverrides: readonly string[] = [],
) {
  model = await startScriptedModel(turns);
  store.provider = { provider: 'openai-compatible', baseUrl: model.baseUrl, apiKey: PROVIDER_KEY };
  const { token } = await signer.sign({
    runId: 'run-gw-1',
    incidentId,
    grants: [{ instanceId: alpha, tools: ['echo', 'write_file'] }],
    model: true,
    ttlSeconds: 600,
  });
  dir = makeTempDir('runner-codex-gateway');
  const workspace = await prepareRunWorkspace({
    runDir: path.join(dir.path, 'run'),
    config: { gatewayUrl, model: modelName, requestMaxRetries: 0, streamMaxRetries: 0 },
    agentsMd: renderAgentsMd({ context: 'Alert: EchoDown on alpha.' }),
  });
  const run = runCodex({
    containment: { kind: 'bwrap', gatewayUrl },
    workspace,
    prompt: 'Investigate through the gateway.',
    runToken: token,
    configOverrides,
  });
  const environment = processEnvironment(run.pid!);
  const events = await recordEvents(run.events).done;
  return { events, environment, token, model };
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) =>
  events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);

describe('a Codex run through the real gateway', () => {
  it('calls gateway tools over MCP, the write one after the gateway’s approval, with the model behind the proxy', async () => {
    store.answer = () => ({ approved: true, outcome: 'approved', reason: 'approved by admin' });
    const { events, environment, token, model } = await runThroughGateway(
      [
        [mcp('akmatori', 'alpha_box__echo', { text: 'hello' })],
        [mcp('akmatori', 'alpha_box__write_file', { path: '/tmp/akmatori-x' })],
        [message('Echo works; file written.')],
      ],
      SCRIPTED_MODEL,
    );

    const started = ofType(events, 'tool.started');
    const completed = ofType(events, 'tool.completed');
    expect(started.map(({ tool, input }) => ({ tool, input }))).toEqual([
      { tool: 'akmatori.alpha_box__echo', input: { text: 'hello' } },
      { tool: 'akmatori.alpha_box__write_file', input: { path: '/tmp/akmatori-x' } },
    ]);
    expect(completed.map(({ tool, output, isError }) => ({ tool, output, isError }))).toEqual([
      {
        tool: 'akmatori.alpha_box__echo',
        output: `Alpha box says hello (token ${SCRUBBED})`,
        isError: false,
      },
      { tool: 'akmatori.alpha_box__write_file', output: 'wrote /tmp/akmatori-x', isError: false },
    ]);
    expect(completed.map((event) => event.callId)).toEqual(started.map((event) => event.callId));
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'Echo works; file written.' });
    expect(store.approvalRequests).toHaveLength(1);
    expect(store.toolCalls.map((call) => [call.tool, call.decision])).toEqual([
      ['echo', 'allowed'],
      ['write_file', 'approved'],
    ]);

    expect(model.requests).toHaveLength(3);
    for (const request of model.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
      expect(JSON.stringify(request.headers)).not.toContain(token);
    }
    expect(JSON.stringify(environment)).not.toContain(PROVIDER_KEY);
    expect(environment.AKMATORI_RUN_TOKEN).toBe(token);
    expect(store.usage.map((entry) => entry.runId)).toEqual(['run-gw-1', 'run-gw-1', 'run-gw-1']);
  });

  it('reports a tool the gateway refuses as a failed tool call, and the run goes on', async () => {
    store.answer = () => ({
      approved: false,
      outcome: 'denied',
      reason: 'denied by admin: not now',
    });
    const { events } = await runThroughGateway(
      [[mcp('akmatori', 'alpha_box__write_file', { path: '/etc/x' })], [message('Not allowed.')]],
      SCRIPTED_MODEL,
    );
    expect(ofType(events, 'tool.completed')).toEqual([
      expect.objectContaining({ output: 'Not written: denied by admin: not now', isError: true }),
    ]);
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'Not allowed.' });
  });

  it('needs default_tools_approval_mode = "approve": without it Codex itself refuses a write tool in exec mode', async () => {
    store.answer = () => ({ approved: true, outcome: 'approved', reason: 'approved by admin' });
    const { events } = await runThroughGateway(
      [[mcp('akmatori', 'alpha_box__write_file', { path: '/tmp/y' })], [message('Refused.')]],
      SCRIPTED_MODEL,
      ['mcp_servers.akmatori.default_tools_approval_mode="prompt"'],
    );
    expect(ofType(events, 'tool.completed')).toEqual([
      expect.objectContaining({
        output: 'MCP tool call requires approval, but approval policy is never',
        isError: true,
      }),
    ]);
    expect(store.toolCalls).toEqual([]);
  });

  it('finds a gateway tool with tool_search when Codex loads MCP tools on demand (known model name)', async () => {
    const { events, model } = await runThroughGateway(
      [[mcp('akmatori', 'alpha_box__echo', { text: 'found' })], [message('Found it.')]],
      'gpt-5.5',
    );
    expect(ofType(events, 'tool.completed').map((event) => event.output)).toEqual([
      `Alpha box says found (token ${SCRUBBED})`,
    ]);
    expect(events.at(-1)).toEqual({ type: 'run.completed', summary: 'Found it.' });
    expect(model.requests).toHaveLength(3);
  });
});
