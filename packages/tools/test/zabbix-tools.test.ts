import { PluginHost, definePlugin, type ToolResult } from '@akmatori/core';
import { callTool } from '@akmatori/core/testing';
import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startReceiver, type WebhookReceiver } from '@akmatori/test-support/peers/receiver';
import { startZabbix, type RunningZabbix } from '@akmatori/test-support/peers/zabbix';
import {
  TEST_HOST,
  TEST_ITEM_KEY,
  TEST_RUNBOOK_URL,
  TEST_TRIGGER,
} from '@akmatori/test-support/peers/zabbix-alerting';
import { endZabbixSessions } from '@akmatori/test-support/peers/zabbix-sessions';
import type { ZabbixCredentials } from '../src/zabbix/zabbix-credentials.js';
import { zabbixTools } from '../src/zabbix/zabbix-tools.js';

// The zabbix tools against a real Zabbix 6.0 (Debian's zabbix_server and frontend API):
// the harness host has a trapper item and a trigger; its problem fired (42), resolved (0)
// and fired again (57), so there is one open and one recently resolved problem.

const TRIGGER_NAME = TEST_TRIGGER.replace('{HOST.NAME}', TEST_HOST);

type Row = Record<string, unknown>;
const rows = (result: ToolResult): Row[] => result.structured?.result as Row[];

async function run(credentials: ZabbixCredentials, tool: string, args: Row): Promise<ToolResult> {
  return (await callTool(zabbixTools, tool, credentials, args)).result;
}

/** Fails with the tool's own text when the call did not succeed. */
function succeeded(result: ToolResult): ToolResult {
  expect(result.isError, `the tool failed: ${result.text}`).toBeFalsy();
  return result;
}

describe('zabbix tool provider', () => {
  it('registers with strict JSON Schemas, and every tool is read-only', () => {
    const host = new PluginHost();
    host.register(definePlugin({ name: 'zabbix-tools', tools: [zabbixTools] }));
    expect(zabbixTools.tools.map((t) => t.name)).toEqual([
      'get_hosts',
      'get_problems',
      'get_history',
      'get_items',
      'get_triggers',
      'api_request',
    ]);
    for (const tool of zabbixTools.tools) {
      expect(tool.readOnly, tool.name).toBe(true);
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
      const check = (args: unknown): boolean =>
        host.checkSchema('tool provider', 'zabbix', `inputSchema of tool "${tool.name}"`, args)
          .valid;
      expect(check({ unknown_argument: 1 }), `${tool.name} refuses unknown arguments`).toBe(false);
    }
  });
});

describe('zabbix tools against Zabbix 6.0 (real zabbix_server and frontend API)', () => {
  let receiver: WebhookReceiver;
  let zabbix: RunningZabbix;
  let token: ZabbixCredentials;
  let firstEventId: string;
  let secondEventId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    zabbix = await startZabbix({
      webhookUrl: `${receiver.url}/webhook/alert/zabbix-tools`,
      postgresAdminUrl: inject('postgresAdminUrl'),
    });
    // The agent's own API token, made as an operator would: token.create, then token.generate.
    const { tokenids } = await zabbix.api.call<{ tokenids: string[] }>(
      'token.create',
      { name: 'akmatori-agent', userid: '1' },
      zabbix.apiToken,
    );
    const [generated] = await zabbix.api.call<{ token: string }[]>(
      'token.generate',
      tokenids,
      zabbix.apiToken,
    );
    token = { api_url: zabbix.apiUrl, api_token: generated!.token };
    firstEventId = await zabbix.fireProblem(42);
    await zabbix.resolveProblem();
    // Zabbix times history in whole seconds: the last value gets a second of its own, so a
    // time_from of its time selects it alone (the 0 could otherwise land in the same second).
    await setTimeout(1_100);
    secondEventId = await zabbix.fireProblem(57);
  }, 240_000);

  afterAll(async () => {
    await zabbix?.stop();
    await receiver?.stop();
  });

  it('get_hosts lists the host with its host group and monitoring status', async () => {
    const result = succeeded(await run(token, 'get_hosts', {}));
    expect(rows(result)).toContainEqual(
      expect.objectContaining({
        host: TEST_HOST,
        name: TEST_HOST,
        status: 'monitored',
        in_maintenance: false,
        groups: ['Akmatori peer tests'],
        interfaces: [],
      }),
    );
    expect(result.text).toContain(TEST_HOST);
  });

  it('get_hosts with search returns only the hosts whose name contains it', async () => {
    const result = succeeded(await run(token, 'get_hosts', { search: 'peer-host' }));
    expect(rows(result).map((h) => h.host)).toEqual([TEST_HOST]);
  });

  it('get_hosts with group returns only the hosts of matching host groups', async () => {
    const result = succeeded(await run(token, 'get_hosts', { group: 'Akmatori peer' }));
    expect(rows(result).map((h) => h.host)).toEqual([TEST_HOST]);
  });

  it('get_items shows the item with its latest value', async () => {
    const result = succeeded(await run(token, 'get_items', { host: TEST_HOST }));
    expect(rows(result)).toEqual([
      expect.objectContaining({
        host: TEST_HOST,
        name: 'Queue depth',
        key: TEST_ITEM_KEY,
        value_type: 'numeric unsigned',
        last_value: '57',
        enabled: true,
        supported: true,
      }),
    ]);
  });

  it('get_items with search matches item keys', async () => {
    const result = succeeded(await run(token, 'get_items', { search: 'queue.depth' }));
    expect(rows(result).map((i) => i.key)).toEqual([TEST_ITEM_KEY]);
  });

  it('get_history by host and key returns every value sent, newest first', async () => {
    const result = succeeded(
      await run(token, 'get_history', { host: TEST_HOST, key: TEST_ITEM_KEY }),
    );
    const history = result.structured?.result as { items: Row[]; values: Row[] };
    expect(history.items).toEqual([expect.objectContaining({ key: TEST_ITEM_KEY })]);
    expect(history.values.map((v) => v.value)).toEqual(['57', '0', '42']);
    expect(result.text).toContain('3 values of 1 item');
  });

  it('get_history by itemids honours time_from given as an ISO time', async () => {
    const [item] = rows(succeeded(await run(token, 'get_items', { host: TEST_HOST })));
    const result = succeeded(
      await run(token, 'get_history', {
        itemids: [item!.itemid],
        time_from: item!.last_time,
      }),
    );
    const history = result.structured?.result as { values: Row[] };
    expect(history.values).toEqual([{ itemid: item!.itemid, time: item!.last_time, value: '57' }]);
  });

  it('get_history without itemids or key says what it needs', async () => {
    const result = await run(token, 'get_history', { host: TEST_HOST });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('get_history needs itemids, or an item key');
    expect(result.structured).toEqual({ error_code: 'AKM_ZABBIX_INPUT_INVALID' });
  });

  it('get_triggers with only_problems shows the firing trigger, its name expanded', async () => {
    const result = succeeded(
      await run(token, 'get_triggers', { host: TEST_HOST, only_problems: true }),
    );
    expect(rows(result)).toEqual([
      expect.objectContaining({
        description: TRIGGER_NAME,
        severity: 'high',
        status: 'problem',
        enabled: true,
        hosts: [TEST_HOST],
        url: TEST_RUNBOOK_URL,
      }),
    ]);
  });

  it('get_triggers with min_severity 5 leaves out a high trigger', async () => {
    const result = succeeded(
      await run(token, 'get_triggers', { host: TEST_HOST, min_severity: 5 }),
    );
    expect(rows(result)).toEqual([]);
  });

  it('get_problems shows the open problem with its host, severity and tags', async () => {
    const result = succeeded(await run(token, 'get_problems', { hosts: [TEST_HOST] }));
    expect(rows(result)).toEqual([
      expect.objectContaining({
        eventid: secondEventId,
        name: TRIGGER_NAME,
        severity: 'high',
        hosts: [TEST_HOST],
        status: 'problem',
        acknowledged: false,
        tags: [`runbook_url: ${TEST_RUNBOOK_URL}#tag`],
      }),
    ]);
  });

  it('get_problems with recent adds the resolved problem, newest first', async () => {
    const result = succeeded(
      await run(token, 'get_problems', { hosts: [TEST_HOST], recent: true }),
    );
    expect(rows(result).map((p) => [p.eventid, p.status])).toEqual([
      [secondEventId, 'problem'],
      [firstEventId, 'resolved'],
    ]);
    expect(rows(result)[1]).toHaveProperty('resolved_at');
  });

  it('get_problems with severity_min 5 leaves out a high problem', async () => {
    const result = succeeded(
      await run(token, 'get_problems', { hosts: [TEST_HOST], severity_min: 5 }),
    );
    expect(rows(result)).toEqual([]);
  });

  it('get_problems for a host that does not exist says so', async () => {
    const result = await run(token, 'get_problems', { hosts: ['no-such-host'] });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('no Zabbix host is named "no-such-host"');
    expect(result.structured).toEqual({ error_code: 'AKM_ZABBIX_NOT_FOUND' });
  });

  it('api_request calls a read method and returns its raw result', async () => {
    const result = succeeded(
      await run(token, 'api_request', {
        method: 'host.get',
        params: { output: ['host'], filter: { host: [TEST_HOST] } },
      }),
    );
    expect(rows(result)).toEqual([{ hostid: expect.any(String), host: TEST_HOST }]);
  });

  it('api_request refuses host.delete and user.update, and Zabbix keeps the host and user', async () => {
    const [host] = await zabbix.api.call<Row[]>(
      'host.get',
      { output: ['hostid'], filter: { host: [TEST_HOST] } },
      zabbix.apiToken,
    );
    for (const [method, params] of [
      ['host.delete', [host!.hostid]],
      ['user.update', { userid: '1', name: 'changed by the agent' }],
    ] as const) {
      const result = await run(token, 'api_request', { method, params });
      expect(result, method).toMatchObject({ refused: true, isError: true });
      expect(result.text).toContain(`"${method}" was not sent to Zabbix`);
    }
    const hosts = await zabbix.api.call<Row[]>(
      'host.get',
      { output: ['host'], filter: { host: [TEST_HOST] } },
      zabbix.apiToken,
    );
    expect(hosts).toHaveLength(1);
    const [admin] = await zabbix.api.call<Row[]>(
      'user.get',
      { output: ['name'], userids: ['1'] },
      zabbix.apiToken,
    );
    expect(admin?.name).not.toBe('changed by the agent');
  });

  it('logs in with a username and password', async () => {
    const login = { api_url: zabbix.apiUrl, username: 'Admin', password: 'zabbix' };
    const result = succeeded(await run(login, 'get_hosts', { search: TEST_HOST }));
    expect(rows(result).map((h) => h.host)).toEqual([TEST_HOST]);
  });

  it('logs in again once when Zabbix has ended the session', async () => {
    const login = { api_url: zabbix.apiUrl, username: 'Admin', password: 'zabbix' };
    succeeded(await run(login, 'get_items', { host: TEST_HOST }));
    expect(await endZabbixSessions(zabbix.serverConfig, 'Admin')).toBeGreaterThan(0);
    const result = succeeded(await run(login, 'get_items', { host: TEST_HOST }));
    expect(rows(result).map((i) => i.key)).toEqual([TEST_ITEM_KEY]);
  });

  it('a wrong API token gives a clear error that does not contain the token', async () => {
    const wrong = randomBytes(32).toString('hex');
    const result = await run({ api_url: zabbix.apiUrl, api_token: wrong }, 'get_hosts', {});
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Zabbix API host\.get failed: Invalid params\. .*API token/);
    expect(result.structured).toEqual({ error_code: 'AKM_ZABBIX_TOKEN_REFUSED' });
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('a wrong password gives a clear error that does not contain the password', async () => {
    const password = `wrong-${randomBytes(8).toString('hex')}`;
    const result = await run(
      { api_url: zabbix.apiUrl, username: 'Admin', password },
      'get_hosts',
      {},
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Zabbix API user.login failed');
    expect(result.text).toContain('Incorrect user name or password');
    expect(result.structured).toEqual({ error_code: 'AKM_ZABBIX_LOGIN_FAILED' });
    expect(JSON.stringify(result)).not.toContain(password);
  });
});
