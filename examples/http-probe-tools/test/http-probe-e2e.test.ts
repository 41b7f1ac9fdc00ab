// The example loaded the way an operator loads it: the built `akmatori serve` (with its MCP
// gateway) started with AKMATORI_PLUGINS naming the package; a tool instance made through the
// API; the tool called through the gateway with a run token, as an agent calls it.
// Needs `npx tsc -b tsconfig.build.json` first (the app and the example).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

const TOKEN = 'probe-bearer-token-never-shown';

let akmatori: SpawnedAkmatori;
let service: http.Server;
let base: string;
let client: Client;
let tools: string[];

beforeAll(async () => {
  service = http.createServer((request, response) => {
    const authorized = request.headers.authorization === `Bearer ${TOKEN}`;
    response.writeHead(request.url === '/down' ? 503 : authorized ? 200 : 401).end();
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;

  akmatori = await startAkmatori({
    GATEWAY_PORT: '0',
    AKMATORI_PLUGINS: '@akmatori-examples/http-probe-tools',
  });
  const instance = await akmatori.api<{ id: string }>(
    'POST',
    '/api/tools',
    {
      tool_type_name: 'http-probe',
      name: 'Shop probes',
      settings: { targets: [`${base}/health`, `${base}/down`], bearer_token: TOKEN },
    },
    201,
  );
  const minted = await akmatori.api<{ token: string; mcp_url: string; tools: string[] }>(
    'POST',
    '/api/gateway/tokens',
    { tool_instance_ids: [instance.id], ttl_seconds: 300 },
    201,
  );
  tools = minted.tools;
  client = new Client({ name: 'http-probe-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(minted.mcp_url), {
      requestInit: { headers: { Authorization: `Bearer ${minted.token}` } },
    }),
  );
}, 120_000);

afterAll(async () => {
  await client?.close();
  await akmatori?.stop();
  await new Promise((resolve) => service?.close(resolve));
});

const textOf = (result: CallToolResult): string =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

describe('the HTTP probe tools through AKMATORI_PLUGINS and the MCP gateway', () => {
  it('are offered under the instance’s name, marked read-only', async () => {
    expect(tools.sort()).toEqual(['shop_probes__list_targets', 'shop_probes__probe']);
    const listed = await client.listTools();
    const probe = listed.tools.find((tool) => tool.name === 'shop_probes__probe');
    expect(probe?.annotations?.readOnlyHint).toBe(true);
  });

  it('probe reaches the targets with the stored bearer token, which never comes back', async () => {
    const result = (await client.callTool({
      name: 'shop_probes__probe',
      arguments: {},
    })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain(`${base}/health: UP HTTP 200`);
    expect(textOf(result)).toContain(`${base}/down: DOWN HTTP 503`);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('a URL off the allow-list is refused', async () => {
    const result = (await client.callTool({
      name: 'shop_probes__probe',
      arguments: { url: 'http://169.254.169.254/latest/meta-data/' },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('is not one of this instance');
  });
});
