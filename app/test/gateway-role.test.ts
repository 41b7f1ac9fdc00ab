import { randomBytes } from 'node:crypto';
import {
  PluginHost,
  SecretBox,
  SettingsRepository,
  openPostgres,
  silentLogger,
  systemClock,
  type Database,
} from '@akmatori/core';
import { builtinTools } from '@akmatori/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../test/databases.js';
import { GatewayDatabaseStore } from '../src/gateway/gateway-database-store.js';
import { gatewayRoleGrants } from '../src/gateway/gateway-role.js';
import { loadRunTokenKeys } from '../src/gateway/run-token-keys.js';
import { toolSecretContext } from '../src/tools/credential-rules.js';

const PASSWORD = 'ssh-password-in-the-vault';
const instanceId = '55555555-5555-4555-8555-555555555555';
let owner: Database;
let restricted: Database;
let store: GatewayDatabaseStore;

beforeAll(async () => {
  const url = await createPostgresDatabase();
  owner = await openPostgres({ url });
  await owner.migrate();
  const role = `akm_gateway_${randomBytes(4).toString('hex')}`;
  const rolePassword = randomBytes(12).toString('hex');
  await owner.executeSql(`create role ${role} login password '${rolePassword}'`);
  await owner.executeSql(gatewayRoleGrants(role));

  const box = new SecretBox(randomBytes(32));
  await loadRunTokenKeys(new SettingsRepository(owner.knex), box);
  await owner.knex('tool_instances').insert({
    id: instanceId,
    tool_type: 'ssh',
    name: 'db hosts',
    settings: JSON.stringify({ hosts: [{ name: 'db', address: '10.0.0.5', user: 'ops' }] }),
    secrets: JSON.stringify({
      password: box.seal(PASSWORD, toolSecretContext(instanceId, 'password')),
    }),
  });

  const asRole = new URL(url);
  asRole.username = role;
  asRole.password = rolePassword;
  restricted = await openPostgres({ url: asRole.toString() });
  const plugins = new PluginHost();
  plugins.register(builtinTools());
  store = new GatewayDatabaseStore({
    knex: restricted.knex,
    secretBox: box,
    plugins,
    clock: systemClock,
    log: silentLogger(),
  });
});

afterAll(async () => {
  await restricted?.close();
  await owner?.close();
});

describe("the gateway's restricted PostgreSQL role (gatewayRoleGrants)", () => {
  it('reads a tool instance and decrypts its credentials', async () => {
    const instance = await store.toolInstance(instanceId);
    expect(instance).toMatchObject({ name: 'db hosts', toolType: 'ssh', enabled: true });
    expect(instance?.credentials.password).toBe(PASSWORD);
    expect(instance?.secretValues).toEqual([PASSWORD]);
  });

  it('reads the run token public key through the gateway_settings view', async () => {
    expect(await store.runTokenPublicKey()).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
  });

  it('appends audit and usage records and creates and expires approvals', async () => {
    await store.recordToolCall({
      runId: 'run-r',
      incidentId: '11111111-1111-4111-8111-111111111111',
      toolInstanceId: instanceId,
      toolInstanceName: 'db hosts',
      tool: 'execute_command',
      arguments: { command: 'uptime' },
      decision: 'allowed',
      status: 'ok',
      exitCode: 0,
      outputBytes: 3,
      durationMs: 4,
      error: null,
      startedAt: new Date(),
    });
    await store.recordModelUsage(
      { runId: 'run-r', incidentId: '11111111-1111-4111-8111-111111111111' },
      {
        responseId: 'resp_1',
        model: 'm',
        inputTokens: 1,
        cachedInputTokens: 0,
        outputTokens: 2,
        reasoningTokens: 0,
      },
    );
    const decision = await store.awaitApproval(
      {
        runId: 'run-r',
        incidentId: '11111111-1111-4111-8111-111111111111',
        toolInstanceId: instanceId,
        tool: 'execute_command',
        action: { summary: 'restart', details: {} },
        timeoutMs: 1,
      },
      new AbortController().signal,
    );
    expect(decision.outcome).toBe('expired');
  });

  it('cannot read the settings table, change tool instances, or rewrite the audit log', async () => {
    await expect(restricted.executeSql('select * from settings')).rejects.toThrow(
      /permission denied/,
    );
    await expect(restricted.executeSql("update tool_instances set name = 'x'")).rejects.toThrow(
      /permission denied/,
    );
    await expect(restricted.executeSql('delete from tool_calls')).rejects.toThrow(
      /permission denied/,
    );
    await expect(restricted.executeSql("update approvals set decided_by = 'me'")).rejects.toThrow(
      /permission denied/,
    );
    await expect(restricted.executeSql('delete from approvals')).rejects.toThrow(
      /permission denied/,
    );
  });
});
