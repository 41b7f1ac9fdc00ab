import { PluginHost } from '@akmatori/core';
import { builtinTools } from '@akmatori/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import { startTestExporter, type TestExporter } from '@akmatori/test-support/peers/exporter';
import { freePort, pollUntil } from '@akmatori/test-support/peers/process';
import { startPrometheus, type RunningPrometheus } from '@akmatori/test-support/peers/prometheus';
import { startReceiver, type WebhookReceiver } from '@akmatori/test-support/peers/receiver';
import { GatewayDatabaseStore } from '../src/gateway/gateway-database-store.js';
import { startGateway, type RunningGateway } from '../src/gateway/start-gateway.js';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

// Prometheus and Alertmanager tool instances made through the API of the real app: offered to
// the starter skills that name their type, tested with POST /api/tools/{id}/test, and called
// by an agent through the MCP gateway, all against the real Prometheus 2.42 and Alertmanager
// 0.25.

let receiver: WebhookReceiver;
let alertmanager: RunningAlertmanager;
let exporter: TestExporter;
let prometheus: RunningPrometheus;
let host: Awaited<ReturnType<typeof startApp>>;
let gateway: RunningGateway;
let admin: Record<string, string>;
let client: Client;
let prometheusId: string;
let alertmanagerId: string;

const text = (result: unknown): string =>
  ((result as CallToolResult).content[0] as { text: string }).text;

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

async function skillTools(name: string): Promise<string[]> {
  const response = await host.inject({ method: 'GET', url: `/api/skills/${name}`, headers: admin });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ tool_instance_ids: string[] }>().tool_instance_ids;
}

beforeAll(async () => {
  receiver = await startReceiver();
  alertmanager = await startAlertmanager({ webhookUrl: `${receiver.url}/webhook/alert/am` });
  exporter = await startTestExporter();
  exporter.set('akmatori_test_queue_depth', 42);
  prometheus = await startPrometheus({
    alertmanagerUrl: alertmanager.url,
    scrapeTargets: [exporter.target],
    rules: [{ alert: 'QueueStuck', expr: 'akmatori_test_queue_depth > 10' }],
  });
  const captured = capturedLogger();
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
  await pollUntil('QueueStuck to reach Alertmanager', async () => {
    const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as unknown[];
    return alerts.length > 0 ? true : undefined;
  });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await host?.close();
  await prometheus?.stop();
  await alertmanager?.stop();
  await exporter?.stop();
  await receiver?.stop();
});

describe('new tool instances are offered to the starter skills that name their type', () => {
  it('a first prometheus and a first alertmanager instance join alertmanager-alert-triage, and only it', async () => {
    expect(await skillTools('alertmanager-alert-triage')).toEqual([]);
    prometheusId = await createTool({
      tool_type_name: 'prometheus',
      name: 'prom',
      settings: { url: prometheus.url },
    });
    alertmanagerId = await createTool({
      tool_type_name: 'alertmanager',
      name: 'am',
      settings: { url: alertmanager.url },
    });
    expect((await skillTools('alertmanager-alert-triage')).sort()).toEqual(
      [prometheusId, alertmanagerId].sort(),
    );
    // Starter skills that do not name the type get nothing.
    expect(await skillTools('high-cpu')).toEqual([]);
    expect(await skillTools('zabbix-problem-triage')).toEqual([]);
  });

  it('a second instance of a type the starter skill already has is not added', async () => {
    const second = await createTool({
      tool_type_name: 'prometheus',
      name: 'prom-2',
      settings: { url: prometheus.url },
    });
    expect(await skillTools('alertmanager-alert-triage')).not.toContain(second);
  });

  it("an operator's own skill naming the type is left for the operator to wire", async () => {
    const created = await host.inject({
      method: 'POST',
      url: '/api/skills',
      headers: admin,
      payload: {
        name: 'my-prom-skill',
        content:
          "---\nname: my-prom-skill\ndescription: Mine.\nmetadata:\n  tools: 'alertmanager'\n---\n\nBody.\n",
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const another = await createTool({
      tool_type_name: 'alertmanager',
      name: 'am-2',
      settings: { url: alertmanager.url },
    });
    expect(await skillTools('my-prom-skill')).toEqual([]);
    expect(await skillTools('alertmanager-alert-triage')).not.toContain(another);
  });

  it('a starter skill whose instance of the type was removed by hand gets the next new one', async () => {
    const put = await host.inject({
      method: 'PUT',
      url: '/api/skills/alertmanager-alert-triage/tools',
      headers: admin,
      payload: { tool_instance_ids: [prometheusId] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const next = await createTool({
      tool_type_name: 'alertmanager',
      name: 'am-3',
      settings: { url: alertmanager.url },
    });
    expect((await skillTools('alertmanager-alert-triage')).sort()).toEqual(
      [prometheusId, next].sort(),
    );
  });
});

describe('POST /api/tools/{id}/test for prometheus and alertmanager', () => {
  it('reads the status of the real servers', async () => {
    for (const [id, name] of [
      [prometheusId, 'Prometheus 2.42'],
      [alertmanagerId, 'Alertmanager 0.25'],
    ] as const) {
      const response = await host.inject({
        method: 'POST',
        url: `/api/tools/${id}/test`,
        headers: admin,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        ok: true,
        tool: 'get_status',
        message: expect.stringContaining(name),
      });
    }
  });

  it('says why a server that is not there fails, without the password', async () => {
    const id = await createTool({
      tool_type_name: 'prometheus',
      name: 'nowhere',
      settings: {
        url: `http://127.0.0.1:${await freePort()}`,
        username: 'u',
        password: 'hunter2-secret',
      },
    });
    const response = await host.inject({
      method: 'POST',
      url: `/api/tools/${id}/test`,
      headers: admin,
    });
    const report = response.json<{ ok: boolean; message: string }>();
    expect(report.ok).toBe(false);
    expect(report.message).toContain('could not reach Prometheus at http://127.0.0.1:');
    expect(report.message).not.toContain('hunter2');
  });

  it('refuses basic auth settings with a user and no password', async () => {
    const response = await host.inject({
      method: 'POST',
      url: '/api/tools',
      headers: admin,
      payload: {
        tool_type_name: 'prometheus',
        name: 'half',
        settings: { url: prometheus.url, username: 'u' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('username and password go together');
  });
});

describe('an agent calls the prometheus and alertmanager tools through the MCP gateway', () => {
  beforeAll(async () => {
    const minted = await host.inject({
      method: 'POST',
      url: '/api/gateway/tokens',
      headers: admin,
      payload: { tool_instance_ids: [prometheusId, alertmanagerId], ttl_seconds: 600 },
    });
    expect(minted.statusCode, minted.body).toBe(201);
    const { token } = minted.json<{ token: string }>();
    client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
  });

  it('lists the read-only tools of both instances', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'prom__query',
        'prom__query_range',
        'prom__get_rules',
        'am__get_alerts',
        'am__get_silences',
      ]),
    );
    expect(tools.every((tool) => tool.annotations?.readOnlyHint !== false)).toBe(true);
  });

  it('queries Prometheus and reads the alert in Alertmanager', async () => {
    const query = await client.callTool({
      name: 'prom__query',
      arguments: { query: 'akmatori_test_queue_depth' },
    });
    expect(query.isError, text(query)).toBe(false);
    expect(text(query)).toContain('} 42 @ ');
    const alerts = await client.callTool({ name: 'am__get_alerts', arguments: {} });
    expect(text(alerts)).toMatch(/^1 alert \(0 suppressed\)\n\[active\] QueueStuck\{/);
  });

  it("a bad query comes back as a tool error with Prometheus's message", async () => {
    const result = await client.callTool({ name: 'prom__query', arguments: { query: 'rate(' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Prometheus answered bad_data \(HTTP 400\): .*parse error/);
  });
});
