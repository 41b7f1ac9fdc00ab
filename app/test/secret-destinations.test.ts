import { definePlugin, defineToolProvider, silentLogger } from '@akmatori/core';
import type { TestHost } from '@akmatori/host/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayDatabaseStore } from '../src/gateway/gateway-database-store.js';
import { bearer, setUpAdmin, startApp } from './helpers.js';

// A stolen admin session can change settings; it must not be able to point a stored secret
// at its own server. Changing where a secret goes needs the secret again, in the same request.

const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-dest\n';
const SSH_PASSWORD = 'ssh-password-kept-at-home';
const ZABBIX_TOKEN = 'zabbix-token-kept-at-home';
const API_KEY = 'sk-llm-key-kept-at-home';
const fingerprint = `SHA256:${'A'.repeat(43)}`;
const otherFingerprint = `SHA256:${'B'.repeat(43)}`;

const web = {
  name: 'web-1',
  address: 'web-1.internal',
  user: 'ops',
  host_key_fingerprint: fingerprint,
};
const db = {
  name: 'db-1',
  address: 'db-1.internal',
  user: 'ops',
  host_key_fingerprint: fingerprint,
};

/** A third-party tool type: it marks its URL as the destination of its optional token. */
const webhookTool = defineToolProvider({
  id: 'webhook-caller',
  displayName: 'Webhook caller',
  credentialSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', format: 'uri', destinationOf: ['token'] },
      timeout_seconds: { type: 'integer', minimum: 1 },
      token: { type: 'string', secret: true, minLength: 1 },
    },
  },
  tools: [],
});

let host: TestHost;
let admin: Record<string, string>;

async function boot(): Promise<void> {
  host = await startApp({ plugins: [definePlugin({ name: 'test-tools', tools: [webhookTool] })] });
  admin = bearer(await setUpAdmin(host));
}
// Booted before each test, in the hook's longer timeout: a boot on a loaded machine can take
// most of a test's 30 s.
beforeEach(boot);
afterEach(async () => {
  await host.close();
});

const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
  host.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) });

async function createTool(
  tool_type_name: string,
  settings: Record<string, unknown>,
): Promise<{ id: string; settings: Record<string, unknown> }> {
  const response = await api('POST', '/api/tools', {
    tool_type_name,
    name: tool_type_name,
    settings,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const gateway = (): GatewayDatabaseStore =>
  new GatewayDatabaseStore({
    knex: host.database.knex,
    secretBox: host.secretBox,
    plugins: host.plugins,
    clock: host.clock,
    log: silentLogger(),
  });

/** What the gateway would connect with: the instance's settings with its secrets opened. */
const credentials = async (id: string): Promise<Record<string, unknown>> =>
  (await gateway().toolInstance(id))?.credentials as Record<string, unknown>;

interface Refusal {
  statusCode: number;
  code: string;
  message: string;
  details: { fields: string[]; secrets: string[] };
}

describe('an SSH tool instance with a stored key', () => {
  const sshSettings = { hosts: [web, db], private_key: PRIVATE_KEY };

  it.each([
    [
      'moving a host to another address',
      { hosts: [{ ...web, address: 'attacker.example.net' }, db] },
      'settings.hosts.0.address',
    ],
    ['changing a port', { hosts: [web, { ...db, port: 2222 }] }, 'settings.hosts.1.port'],
    [
      'routing a host through a jump host',
      { hosts: [web, { ...db, jump_host: 'web-1' }] },
      'settings.hosts.1.jump_host',
    ],
    [
      'pinning another host key',
      { hosts: [{ ...web, host_key_fingerprint: otherFingerprint }, db] },
      'settings.hosts.0.host_key_fingerprint',
    ],
    [
      'trusting whatever key answers first',
      { hosts: [web, { ...db, trust_on_first_use: true }] },
      'settings.hosts.1.trust_on_first_use',
    ],
    [
      'adding a host',
      { hosts: [web, db, { ...db, name: 'new-1', address: 'new-1.example.net' }] },
      'settings.hosts.2',
    ],
  ])(
    'refuses %s without the key, names the field and the key, and changes nothing',
    async (_what, change, field) => {
      const tool = await createTool('ssh', sshSettings);
      for (const keep of [{}, { private_key: { set: true } }]) {
        const response = await api('PUT', `/api/tools/${tool.id}`, {
          settings: { ...change, ...keep },
        });
        expect(response.statusCode, response.body).toBe(400);
        const refusal = response.json<Refusal>();
        expect(refusal).toMatchObject({
          code: 'AKM_SECRET_DESTINATION_CHANGED',
          details: { fields: [field], secrets: ['settings.private_key'] },
        });
        expect(refusal.message).toBe(
          `Changing ${field} changes where the stored settings.private_key is sent: enter settings.private_key again in the same request`,
        );
      }
      expect((await credentials(tool.id)).hosts).toEqual([web, db]);
    },
  );

  it('moves a host when the key is entered again in the same request', async () => {
    const tool = await createTool('ssh', sshSettings);
    const moved = [{ ...web, address: 'web-2.internal', port: 2200 }, db];
    const newKey = `${PRIVATE_KEY}re-entered\n`;
    const response = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { hosts: moved, private_key: newKey },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await credentials(tool.id)).toMatchObject({ hosts: moved, private_key: newKey });
  });

  it('changes what is not a destination without the key', async () => {
    const tool = await createTool('ssh', sshSettings);
    const hosts = [
      { ...web, name: 'web-a', user: 'deploy', allow_write: true },
      { ...db, name: 'db-a' },
    ];
    const response = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { hosts, network_allowlist: ['*.internal'], private_key: { set: true } },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await credentials(tool.id)).toMatchObject({ hosts, private_key: PRIVATE_KEY });
    expect(
      (await api('PUT', `/api/tools/${tool.id}`, { name: 'renamed', enabled: false })).statusCode,
    ).toBe(200);
  });

  it('lets a host be removed or the list reordered without the key', async () => {
    const tool = await createTool('ssh', sshSettings);
    expect(
      (await api('PUT', `/api/tools/${tool.id}`, { settings: { hosts: [db, web] } })).statusCode,
    ).toBe(200);
    expect(
      (await api('PUT', `/api/tools/${tool.id}`, { settings: { hosts: [db] } })).statusCode,
    ).toBe(200);
    expect(await credentials(tool.id)).toMatchObject({ hosts: [db], private_key: PRIVATE_KEY });
  });

  it('asks for the password, not the key, when only a password is stored', async () => {
    const tool = await createTool('ssh', { hosts: [web], password: SSH_PASSWORD });
    const response = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { hosts: [{ ...web, address: 'attacker.example.net' }] },
    });
    expect(response.json<Refusal>().details).toEqual({
      fields: ['settings.hosts.0.address'],
      secrets: ['settings.password'],
    });
  });

  it('needs every stored secret that goes there: re-entering the key alone keeps the password at home', async () => {
    const tool = await createTool('ssh', { ...sshSettings, password: SSH_PASSWORD });
    const moved = { hosts: [{ ...web, address: 'attacker.example.net' }, db] };
    const keyOnly = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { ...moved, private_key: 'attacker-key' },
    });
    expect(keyOnly.statusCode).toBe(400);
    expect(keyOnly.json<Refusal>().details.secrets).toEqual(['settings.password']);
    // Clearing the password sends it nowhere: that is allowed.
    const cleared = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { ...moved, private_key: 'attacker-key', password: null },
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(await credentials(tool.id)).not.toHaveProperty('password');
  });
});

describe('a Zabbix tool instance with a stored token', () => {
  const zabbix = { api_url: 'https://zabbix.internal/api_jsonrpc.php', api_token: ZABBIX_TOKEN };

  it.each([
    [
      'pointing api_url elsewhere',
      { api_url: 'https://attacker.example.net/api_jsonrpc.php' },
      'settings.api_url',
    ],
    [
      'turning TLS verification off',
      { api_url: zabbix.api_url, verify_tls: false },
      'settings.verify_tls',
    ],
  ])('refuses %s without the token', async (_what, change, field) => {
    const tool = await createTool('zabbix', zabbix);
    const response = await api('PUT', `/api/tools/${tool.id}`, { settings: change });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<Refusal>()).toMatchObject({
      code: 'AKM_SECRET_DESTINATION_CHANGED',
      details: { fields: [field], secrets: ['settings.api_token'] },
    });
    expect(await credentials(tool.id)).toEqual(zabbix);
  });

  it('moves to a new URL with the token entered again', async () => {
    const tool = await createTool('zabbix', zabbix);
    const moved = { api_url: 'https://zabbix2.internal/api_jsonrpc.php', api_token: ZABBIX_TOKEN };
    expect((await api('PUT', `/api/tools/${tool.id}`, { settings: moved })).statusCode).toBe(200);
    expect(await credentials(tool.id)).toEqual(moved);
  });

  it('keeps verify_tls on without the token (leaving it out means the default, true)', async () => {
    const tool = await createTool('zabbix', zabbix);
    const response = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { api_url: zabbix.api_url, verify_tls: true },
    });
    expect(response.statusCode, response.body).toBe(200);
  });
});

describe('a third-party tool type that marks its URL destinationOf its token', () => {
  it('has its destination kept by the same rule', async () => {
    const tool = await createTool('webhook-caller', {
      url: 'https://hooks.internal/x',
      token: 'hook-token',
    });
    const moved = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { url: 'https://attacker.example.net/x' },
    });
    expect(moved.json<Refusal>()).toMatchObject({
      code: 'AKM_SECRET_DESTINATION_CHANGED',
      details: { fields: ['settings.url'], secrets: ['settings.token'] },
    });
    const unrelated = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { url: 'https://hooks.internal/x', timeout_seconds: 5 },
    });
    expect(unrelated.statusCode, unrelated.body).toBe(200);
  });

  it('changes its destination freely while no secret is stored', async () => {
    const tool = await createTool('webhook-caller', { url: 'https://hooks.internal/x' });
    const moved = await api('PUT', `/api/tools/${tool.id}`, {
      settings: { url: 'https://elsewhere.example.net/x' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await credentials(tool.id)).toEqual({ url: 'https://elsewhere.example.net/x' });
  });

  it('shows which settings are destinations in its credential schema', async () => {
    const types = (await api('GET', '/api/tool-types')).json<{
      data: { name: string; credential_schema: { properties: Record<string, unknown> } }[];
    }>().data;
    const schema = types.find((type) => type.name === 'webhook-caller')?.credential_schema;
    expect(schema?.properties.url).toMatchObject({ destinationOf: ['token'] });
  });
});

describe('the LLM provider', () => {
  const compatible = {
    provider: 'openai-compatible',
    base_url: 'https://llm.internal/v1',
    model: 'm',
  };

  it('refuses a new base_url without the API key, and keeps forwarding to the old one', async () => {
    expect(
      (await api('PUT', '/api/settings/llm', { ...compatible, api_key: API_KEY })).statusCode,
    ).toBe(200);
    for (const keep of [{}, { api_key: { set: true } }]) {
      const response = await api('PUT', '/api/settings/llm', {
        ...compatible,
        base_url: 'https://attacker.example.net/v1',
        ...keep,
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json<Refusal>()).toMatchObject({
        code: 'AKM_SECRET_DESTINATION_CHANGED',
        message:
          'Changing base_url changes where the stored api_key is sent: enter api_key again in the same request',
        details: { fields: ['base_url'], secrets: ['api_key'] },
      });
    }
    expect(await gateway().llmProvider()).toMatchObject({
      baseUrl: 'https://llm.internal/v1',
      apiKey: API_KEY,
    });
  });

  it('refuses switching to OpenAI (its default base_url) without the key', async () => {
    await api('PUT', '/api/settings/llm', { ...compatible, api_key: API_KEY });
    const response = await api('PUT', '/api/settings/llm', { provider: 'openai', model: 'm' });
    expect(response.json<Refusal>().code).toBe('AKM_SECRET_DESTINATION_CHANGED');
  });

  it('takes a new base_url with the key entered again', async () => {
    await api('PUT', '/api/settings/llm', { ...compatible, api_key: API_KEY });
    const response = await api('PUT', '/api/settings/llm', {
      ...compatible,
      base_url: 'https://llm2.internal/v1',
      api_key: `${API_KEY}-2`,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await gateway().llmProvider()).toMatchObject({
      baseUrl: 'https://llm2.internal/v1',
      apiKey: `${API_KEY}-2`,
    });
  });

  it('changes the model without the key; a trailing slash is the same base_url', async () => {
    await api('PUT', '/api/settings/llm', { ...compatible, api_key: API_KEY });
    const response = await api('PUT', '/api/settings/llm', {
      ...compatible,
      base_url: `${compatible.base_url}/`,
      model: 'other-model',
      reasoning_effort: 'high',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await gateway().llmProvider()).toMatchObject({ model: 'other-model', apiKey: API_KEY });
  });
});
