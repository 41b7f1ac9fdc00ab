import { randomBytes } from 'node:crypto';
import { PluginHost, silentLogger, systemClock } from '@akmatori/core';
import { type Database, openPostgres, SecretBox, SettingsRepository } from '@akmatori/host';
import { builtinTools } from '@akmatori/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@akmatori/test-support/databases';
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

  it('reads the budgets and prices, records priced usage with the source, and sums the spend of each scope', async () => {
    const sourceId = '66666666-6666-4666-8666-666666666666';
    const incidentId = '77777777-7777-4777-8777-777777777777';
    const otherIncident = '88888888-8888-4888-8888-888888888888';
    await owner
      .knex('alert_sources')
      .insert({ id: sourceId, source_type: 'alertmanager', name: 'am' });
    for (const id of [incidentId, otherIncident])
      await owner.knex('incidents').insert({
        id,
        title: 'disk full',
        severity: 'high',
        source_id: sourceId,
        source_type: 'alertmanager',
        investigate_after: new Date(),
      });
    const settings = new SettingsRepository(owner.knex);
    await settings.set('budgets', { per_run: { max_tokens: 10, max_cost_usd: null } }, new Date());
    const price = { input_per_million: 1, cached_input_per_million: 0.5, output_per_million: 4 };
    await settings.set('llm.prices', { m: price }, new Date());

    const policy = await store.spendPolicy();
    expect(policy.budgets.perRun).toEqual({ maxTokens: 10, maxCostUsd: null });
    expect(policy.budgets.perDay).toEqual({ maxTokens: 50_000_000, maxCostUsd: 150 });
    expect(policy.prices).toEqual({ m: price });

    const usage = (input: number, output: number) => ({
      responseId: null,
      model: 'm',
      inputTokens: input,
      cachedInputTokens: 0,
      outputTokens: output,
      reasoningTokens: 0,
    });
    await store.recordModelUsage({ runId: 'run-s1', incidentId }, usage(100, 10), 0.25);
    await store.recordModelUsage({ runId: 'run-s2', incidentId }, usage(200, 20), 0.5);
    await store.recordModelUsage({ runId: 'run-s3', incidentId: otherIncident }, usage(1, 1), null);
    const row = (await owner.knex('model_usage').where({ run_id: 'run-s1' }).first()) as {
      source_id: string;
      cost_usd: number;
    };
    expect(row).toMatchObject({ source_id: sourceId, cost_usd: 0.25 });

    const spend = await store.modelSpend(
      { runId: 'run-s1', incidentId },
      new Date(Date.now() - 60_000),
    );
    expect(spend.run).toEqual({ tokens: 110, costUsd: 0.25 });
    expect(spend.incident).toEqual({ tokens: 330, costUsd: 0.75 });
    expect(spend.sourceDay).toEqual({ tokens: 332, costUsd: 0.75 });
    expect(spend.day.tokens).toBeGreaterThanOrEqual(332);
    const tomorrow = await store.modelSpend(
      { runId: 'run-s1', incidentId },
      new Date(Date.now() + 86_400_000),
    );
    expect(tomorrow.sourceDay).toEqual({ tokens: 0, costUsd: 0 });
    expect(tomorrow.run).toEqual({ tokens: 110, costUsd: 0.25 });
  });

  it("reads whether a run is still going, so a run's token dies with it, and nothing else of runs", async () => {
    const incident = '99999999-9999-4999-8999-999999999999';
    await owner.knex('incidents').insert({
      id: incident,
      title: 'run states',
      severity: 'high',
      source_type: 'manual',
      investigate_after: new Date(),
    });
    const ids: Record<string, string> = {};
    for (const [index, status] of [
      'queued',
      'running',
      'completed',
      'failed',
      'cancelled',
    ].entries()) {
      ids[status] = `aaaaaaaa-aaaa-4aaa-8aaa-00000000000${index}`;
      await owner.knex('runs').insert({
        id: ids[status],
        incident_id: incident,
        kind: 'investigation',
        status,
        prompt: 'p',
        created_at: new Date(),
      });
    }
    for (const status of ['queued', 'running'])
      expect(await store.runActive(ids[status]!)).toBe(true);
    for (const status of ['completed', 'failed', 'cancelled'])
      expect(await store.runActive(ids[status]!), status).toBe(false);
    expect(await store.runActive('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb')).toBe(false);
    // Cancelling the incident ends its runs' tokens at once, before the worker has stopped.
    await owner.knex('incidents').where({ id: incident }).update({ status: 'cancelled' });
    for (const status of ['queued', 'running'])
      expect(await store.runActive(ids[status]!), `${status} of a cancelled incident`).toBe(false);
    expect(await store.runActive('manual-not-a-uuid')).toBe(false);
    await expect(restricted.executeSql('select prompt from runs')).rejects.toThrow(
      /permission denied/,
    );
  });

  it('reads no more of incidents than their alert source and status', async () => {
    await expect(restricted.executeSql('select title from incidents')).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      restricted.executeSql('select id, source_id, status from incidents'),
    ).resolves.toBeDefined();
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
