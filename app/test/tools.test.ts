import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '@akmatori/test-support/databases';
import { bearer, capturedLogger, setUpAdmin, startApp } from './helpers.js';

let host: TestHost;
let admin: Record<string, string>;
let logs: () => string;
const responses: string[] = [];

async function boot(options: Parameters<typeof startApp>[0] = {}): Promise<void> {
  const captured = capturedLogger();
  logs = captured.text;
  host = await startApp({ log: captured.log, ...options });
  admin = bearer(await setUpAdmin(host));
}
afterEach(async () => {
  responses.length = 0;
  await host.close();
});

const api = async (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
) => {
  const response = await host.inject({
    method,
    url,
    headers: admin,
    ...(payload === undefined ? {} : { payload }),
  });
  responses.push(response.body);
  return response;
};

const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-secret\n';
const PASSPHRASE = 'passphrase-that-must-not-leak';
const ZABBIX_TOKEN = 'zabbix-token-that-must-not-leak';
const fingerprint = `SHA256:${'Qm9ndXNGaW5nZXJwcmludEZvclRlc3RpbmdPbmx5'}abc`;
const webHost = {
  name: 'web-1',
  address: 'web-1.example.com',
  user: 'akmatori',
  host_key_fingerprint: fingerprint,
};
const sshTool = (settings: Record<string, unknown> = {}): Record<string, unknown> => ({
  tool_type_name: 'ssh',
  name: 'prod-ssh',
  settings: { hosts: [webHost], private_key: PRIVATE_KEY, passphrase: PASSPHRASE, ...settings },
});

const storedSecrets = async (id: string): Promise<Record<string, string>> => {
  const result = await host.database.executeSql<{ secrets: Record<string, string> }>(
    'select secrets from tool_instances where id = $1',
    [id],
  );
  return result.rows[0]?.secrets ?? {};
};

describe('tool types', () => {
  it('lists SSH, Zabbix, Prometheus and Alertmanager with their credential schemas and their tools', async () => {
    await boot();
    const response = await api('GET', '/api/tool-types');
    expect(response.statusCode).toBe(200);
    const types = response.json<{ data: Record<string, unknown>[] }>().data;
    const toolNames = (tools: unknown): string[] =>
      (tools as { name: string; read_only: boolean }[]).map(
        (tool) => `${tool.name}${tool.read_only ? '' : ' (writes)'}`,
      );
    expect(types.map((t) => [t.name, t.display_name, toolNames(t.tools)])).toEqual([
      ['ssh', 'SSH', ['execute_command (writes)', 'test_connectivity', 'get_server_info']],
      [
        'zabbix',
        'Zabbix',
        ['get_hosts', 'get_problems', 'get_history', 'get_items', 'get_triggers', 'api_request'],
      ],
      [
        'prometheus',
        'Prometheus',
        [
          'query',
          'query_range',
          'get_alerts',
          'get_targets',
          'get_rules',
          'find_series',
          'get_label_names',
          'get_label_values',
          'get_metric_metadata',
          'get_status',
        ],
      ],
      [
        'alertmanager',
        'Alertmanager',
        ['get_alerts', 'get_alert_groups', 'get_silences', 'get_status'],
      ],
    ]);
    const ssh = types[0]?.credential_schema as { properties: Record<string, { secret?: boolean }> };
    expect(ssh.properties.private_key?.secret).toBe(true);
  });
});

describe('tool instances', () => {
  it('are created, read, listed, changed and deleted, with secrets masked', async () => {
    await boot();
    const created = await api('POST', '/api/tools', sshTool());
    expect(created.statusCode, created.body).toBe(201);
    const tool = created.json<Record<string, unknown>>();
    expect(tool).toMatchObject({
      tool_type_name: 'ssh',
      name: 'prod-ssh',
      enabled: true,
      settings: { hosts: [webHost], private_key: { set: true }, passphrase: { set: true } },
    });
    expect(tool.settings).not.toHaveProperty('password');
    const id = tool.id as string;

    expect((await api('GET', `/api/tools/${id}`)).json()).toEqual(tool);
    expect((await api('GET', '/api/tools')).json()).toEqual({ data: [tool] });

    const changed = await api('PUT', `/api/tools/${id}`, {
      name: 'production-ssh',
      enabled: false,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'production-ssh', enabled: false });

    expect((await api('DELETE', `/api/tools/${id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/tools/${id}`)).json()).toMatchObject({
      code: 'AKM_NOT_FOUND',
    });
    expect((await api('DELETE', `/api/tools/${id}`)).statusCode).toBe(404);
  });

  it('keep a secret when the mask is sent back, clear it with null, replace it with a string', async () => {
    await boot();
    const tool = (await api('POST', '/api/tools', sshTool())).json<{
      id: string;
      settings: Record<string, unknown>;
    }>();
    const open = (sealed: string | undefined, field: string): string =>
      host.secretBox.open(sealed ?? '', `tool:${tool.id}:${field}`);

    // Not a destination: a new port or address would need the key again (secret-destinations.test.ts).
    const hosts = [{ ...webHost, allow_write: true }];
    const kept = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { ...tool.settings, hosts },
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ settings: { hosts, private_key: { set: true } } });
    let secrets = await storedSecrets(tool.id);
    expect(open(secrets.private_key, 'private_key')).toBe(PRIVATE_KEY);
    expect(open(secrets.passphrase, 'passphrase')).toBe(PASSPHRASE);

    const cleared = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { hosts, private_key: { set: true }, passphrase: null, password: 'new-password' },
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json<{ settings: object }>().settings).toEqual({
      hosts,
      private_key: { set: true },
      password: { set: true },
    });
    secrets = await storedSecrets(tool.id);
    expect(Object.keys(secrets).sort()).toEqual(['password', 'private_key']);
    expect(open(secrets.password, 'password')).toBe('new-password');
    expect(open(secrets.private_key, 'private_key')).toBe(PRIVATE_KEY);
  });

  it('refuse the mask for a secret that was never set', async () => {
    await boot();
    const response = await api('POST', '/api/tools', sshTool({ private_key: { set: true } }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AKM_TOOL_SETTINGS_INVALID' });
    expect(response.json<{ message: string }>().message).toContain('settings.private_key');
  });

  it('refuse an unknown tool type with 400', async () => {
    await boot();
    const response = await api('POST', '/api/tools', { ...sshTool(), tool_type_name: 'telnet' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AKM_UNKNOWN_TOOL_TYPE' });
    expect(response.json<{ message: string }>().message).toContain('ssh, zabbix');
  });

  it('refuse a duplicate name with 409, on create and on rename', async () => {
    await boot();
    expect((await api('POST', '/api/tools', sshTool())).statusCode).toBe(201);
    const duplicate = await api('POST', '/api/tools', sshTool());
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'AKM_TOOL_NAME_TAKEN' });
    const other = (await api('POST', '/api/tools', { ...sshTool(), name: 'other' })).json<{
      id: string;
    }>();
    const renamed = await api('PUT', `/api/tools/${other.id}`, { name: 'prod-ssh' });
    expect(renamed.statusCode).toBe(409);
  });

  it.each([
    [
      'a root login without allow_root',
      sshTool({ hosts: [{ ...webHost, user: 'root' }] }),
      'settings.hosts.0.user is root but allow_root is not true',
    ],
    [
      'a host without a fingerprint or trust on first use',
      sshTool({ hosts: [{ name: 'db', address: 'db', user: 'ops' }] }),
      'settings.hosts.0.host_key_fingerprint is required unless trust_on_first_use is true',
    ],
    [
      'neither a private key nor a password',
      { ...sshTool(), settings: { hosts: [webHost] } },
      'settings.private_key or password is required',
    ],
    [
      'a jump host that is not in the list',
      sshTool({ hosts: [{ ...webHost, jump_host: 'bastion' }] }),
      'settings.hosts.0.jump_host "bastion" is not a host in this list',
    ],
    [
      'a Zabbix API URL that is not a URL',
      {
        tool_type_name: 'zabbix',
        name: 'zbx',
        settings: { api_url: 'not a url', api_token: ZABBIX_TOKEN },
      },
      'settings.api_url must match format "uri"',
    ],
    [
      'a setting the type does not know',
      sshTool({ colour: 'blue' }),
      'settings.colour is not a known setting',
    ],
  ])('refuse %s with 400 naming the field', async (_what, body, problem) => {
    await boot();
    const response = await api('POST', '/api/tools', body);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AKM_TOOL_SETTINGS_INVALID' });
    expect(response.json<{ message: string }>().message).toContain(problem);
    expect(response.body).not.toContain(ZABBIX_TOKEN);
    expect(response.body).not.toContain(PRIVATE_KEY);
  });

  it('answer 404 for an instance that does not exist', async () => {
    await boot();
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await api('GET', `/api/tools/${missing}`)).statusCode).toBe(404);
    expect((await api('PUT', `/api/tools/${missing}`, { enabled: false })).statusCode).toBe(404);
  });
});

describe('secrets at rest', () => {
  it('no table, API response or log line holds a secret in plaintext', async () => {
    await boot();
    const ssh = (await api('POST', '/api/tools', sshTool())).json<{ id: string }>();
    await api('PUT', `/api/tools/${ssh.id}`, {
      settings: { hosts: [webHost], private_key: { set: true }, password: 'ssh-password-secret' },
    });
    await api('POST', '/api/tools', {
      tool_type_name: 'zabbix',
      name: 'zabbix',
      settings: { api_url: 'https://zabbix.example.com/api_jsonrpc.php', api_token: ZABBIX_TOKEN },
    });
    await api('GET', '/api/tools');
    const plaintexts = [
      PRIVATE_KEY,
      'b3BlbnNzaC1rZXktdjEAAAAA-secret',
      PASSPHRASE,
      ZABBIX_TOKEN,
      'ssh-password-secret',
    ];

    const tables = await host.database.executeSql<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    expect(tables.rows.map((r) => r.table_name)).toContain('tool_instances');
    for (const { table_name: table } of tables.rows) {
      const rows = await host.database.executeSql(`select * from "${table}"`);
      const dump = JSON.stringify(rows.rows);
      for (const secret of plaintexts) expect(dump, `table ${table}`).not.toContain(secret);
    }
    // And no file in the data directory (skills, context files, keys) holds one either.
    const files = (
      await readdir(host.config.dataDir, { recursive: true, withFileTypes: true })
    ).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = await readFile(path.join(file.parentPath, file.name));
      for (const secret of plaintexts)
        expect(bytes.includes(secret), `file ${file.name}`).toBe(false);
    }
    const raw = await host.database.executeSql<{ settings: object; secrets: object }>(
      'select settings, secrets from tool_instances',
    );
    for (const row of raw.rows) {
      expect(JSON.stringify(row.settings)).not.toContain('akm1:');
      for (const sealed of Object.values(row.secrets)) expect(sealed).toMatch(/^akm1:/);
    }
    expect(responses.length).toBeGreaterThan(0);
    for (const secret of plaintexts) {
      for (const body of responses) expect(body).not.toContain(secret);
      expect(logs(), 'log output').not.toContain(secret);
    }
  });
});

describe('on PostgreSQL', () => {
  it('stores, masks and keeps secrets the same way', async () => {
    const database = await openTestDatabase('postgres');
    try {
      await boot({ database });
      const created = await api('POST', '/api/tools', sshTool());
      expect(created.statusCode, created.body).toBe(201);
      const tool = created.json<{ id: string; settings: Record<string, unknown> }>();
      expect(tool.settings.private_key).toEqual({ set: true });
      const kept = await api('PUT', `/api/tools/${tool.id}`, { settings: tool.settings });
      expect(kept.statusCode, kept.body).toBe(200);
      const secrets = await storedSecrets(tool.id);
      expect(host.secretBox.open(secrets.private_key ?? '', `tool:${tool.id}:private_key`)).toBe(
        PRIVATE_KEY,
      );
      expect((await api('POST', '/api/tools', sshTool())).statusCode).toBe(409);
    } finally {
      await host.close();
      await database.close();
      host = { close: async () => {} } as TestHost;
    }
  });
});
