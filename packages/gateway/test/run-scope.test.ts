import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunTokenRequest } from '@akmatori/gateway';
import { startDemoGateway, type DemoGateway } from '@akmatori/test-support/gateway/demo-gateway';
import { postMcpInitialize } from '@akmatori/test-support/gateway/mcp-initialize';

// Least privilege per run: a run reaches only the tool instances its own token grants, and
// its token is refused at once when the run ends, on MCP and on the model proxy alike.

const incidentA = '11111111-1111-4111-8111-111111111111';
const incidentB = '44444444-4444-4444-8444-444444444444';
const diskBox = '22222222-2222-4222-8222-222222222222';
const dbBox = '33333333-3333-4333-8333-333333333333';

let demo: DemoGateway;
const clients: Client[] = [];

beforeAll(async () => {
  demo = await startDemoGateway({
    secret: 'a-secret-credential',
    instances: [
      { id: diskBox, name: 'disk box' },
      { id: dbBox, name: 'db box' },
    ],
  });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => {})));
});
afterAll(async () => {
  await demo.close();
});

async function token(request: Partial<RunTokenRequest> & { runId: string }): Promise<string> {
  return (
    await demo.signer.sign({
      incidentId: incidentA,
      grants: [],
      model: false,
      ttlSeconds: 300,
      ...request,
    })
  ).token;
}

async function connect(bearer: string): Promise<Client> {
  const client = new Client({ name: 'run-scope-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${demo.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  clients.push(client);
  return client;
}

const initialize = (bearer: string): Promise<Response> => postMcpInitialize(demo.url, bearer);

describe('a run reaches only its own skills’ tools', () => {
  it("incident A's run cannot list or call the tool only incident B's skills grant", async () => {
    const runA = await connect(
      await token({ runId: 'run-a', grants: [{ instanceId: diskBox, tools: ['echo'] }] }),
    );
    const runB = await connect(
      await token({
        runId: 'run-b',
        incidentId: incidentB,
        grants: [{ instanceId: dbBox, tools: ['echo'] }],
      }),
    );
    expect((await runA.listTools()).tools.map((tool) => tool.name)).toEqual(['disk_box__echo']);
    expect((await runB.listTools()).tools.map((tool) => tool.name)).toEqual(['db_box__echo']);

    await expect(
      runA.callTool({ name: 'db_box__echo', arguments: { text: 'hi' } }),
    ).rejects.toThrow(/not available to this run/);
    expect(demo.store.toolCalls.at(-1)).toMatchObject({
      runId: 'run-a',
      tool: 'db_box__echo',
      decision: 'refused',
    });
    const own = await runA.callTool({ name: 'disk_box__echo', arguments: { text: 'hi' } });
    expect(own.isError).toBeFalsy();
  });
});

describe('a token dies with its run', () => {
  for (const ending of ['completed', 'failed', 'cancelled']) {
    it(`is refused on MCP at once when the run has ${ending} (401 AKM_GATEWAY_RUN_ENDED)`, async () => {
      const runId = `run-${ending}`;
      const bearer = await token({ runId, grants: [{ instanceId: diskBox, tools: ['echo'] }] });
      const client = await connect(bearer);
      expect((await client.listTools()).tools).toHaveLength(1);

      demo.store.endedRuns.add(runId); // what the store reports once runs.status is `ending`
      await expect(client.listTools()).rejects.toThrow(/401|AKM_GATEWAY_RUN_ENDED|ended/);
      await expect(
        client.callTool({ name: 'disk_box__echo', arguments: { text: 'late' } }),
      ).rejects.toThrow();
      const fresh = await initialize(bearer);
      expect(fresh.status).toBe(401);
      expect(await fresh.json()).toMatchObject({ error: { code: 'AKM_GATEWAY_RUN_ENDED' } });
    });
  }

  it('is refused by the model proxy once its run has ended', async () => {
    const runId = 'run-model-ended';
    const bearer = await token({ runId, model: true });
    demo.store.endedRuns.add(runId);
    const response = await fetch(`${demo.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: [] }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'AKM_GATEWAY_RUN_ENDED' } });
  });

  it('an operator token (no run) keeps working, and cannot carry model access', async () => {
    const runId = 'manual-operator';
    demo.store.endedRuns.add(runId); // no runs row: the run check must not apply to it
    const client = await connect(
      await token({ runId, operator: true, grants: [{ instanceId: diskBox, tools: ['echo'] }] }),
    );
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['disk_box__echo']);
    await expect(token({ runId, operator: true, model: true })).rejects.toThrow(
      /operator token cannot grant the model/,
    );
  });
});
