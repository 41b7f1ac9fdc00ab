import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  isUuid,
  secretFields,
  type ApprovalDecision,
  type Clock,
  type Logger,
  type PluginHost,
  type SecretBox,
} from '@akmatori/core';
import type {
  ApprovalRequest,
  GatewayStore,
  GatewayToolInstance,
  LlmProvider,
  ModelUsage,
  ToolCallRecord,
} from '@akmatori/gateway';
import type { JWK } from 'jose';
import type { Knex } from 'knex';
import { toolSecretContext } from '../tools/credential-rules.js';
import { GatewaySettingKeys, type StoredLlmSettings } from './gateway-settings.js';

/** How often a waiting write action looks for the operator's decision. */
const APPROVAL_POLL_MS = 250;

/** What {@link GatewayDatabaseStore} needs. */
export interface GatewayDatabaseStoreOptions {
  readonly knex: Knex;
  readonly secretBox: SecretBox;
  readonly plugins: Pick<PluginHost, 'toolProvider'>;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * The gateway's store on the app database. It reads only `tool_instances` and the
 * `gateway_settings` view, and only inserts into `tool_calls`, `model_usage` and `approvals`
 * (plus marking its own approvals expired), so it runs under the restricted role in
 * docs/security.md; in the embedded default it is this read-mostly repository inside the
 * API process.
 */
export class GatewayDatabaseStore implements GatewayStore {
  readonly #options: GatewayDatabaseStoreOptions;

  constructor(options: GatewayDatabaseStoreOptions) {
    this.#options = options;
  }

  async toolInstance(id: string): Promise<GatewayToolInstance | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.#options
      .knex('tool_instances')
      .select('id', 'name', 'tool_type', 'enabled', 'settings', 'secrets')
      .where({ id })
      .first()) as
      | {
          id: string;
          name: string;
          tool_type: string;
          enabled: boolean;
          settings: Record<string, unknown>;
          secrets: Record<string, string>;
        }
      | undefined;
    if (row === undefined) return undefined;
    const provider = this.#options.plugins.toolProvider(row.tool_type);
    const known = new Set(provider === undefined ? [] : secretFields(provider.credentialSchema));
    const credentials: Record<string, unknown> = { ...row.settings };
    const secretValues: string[] = [];
    for (const [field, sealed] of Object.entries(row.secrets)) {
      if (provider !== undefined && !known.has(field)) continue;
      const value = this.#options.secretBox.open(sealed, toolSecretContext(row.id, field));
      credentials[field] = value;
      secretValues.push(value);
    }
    return {
      id: row.id,
      name: row.name,
      toolType: row.tool_type,
      enabled: row.enabled,
      credentials,
      secretValues,
    };
  }

  async llmProvider(): Promise<LlmProvider | undefined> {
    const settings = await this.#setting<StoredLlmSettings>(GatewaySettingKeys.llm);
    const sealedKey = await this.#setting<string>(GatewaySettingKeys.llmApiKey);
    if (settings === undefined || sealedKey === undefined) return undefined;
    return {
      provider: settings.provider,
      baseUrl: settings.base_url,
      apiKey: this.#options.secretBox.open(sealedKey, GatewaySettingKeys.llmApiKey),
      model: settings.model,
      ...(settings.reasoning_effort === null ? {} : { reasoningEffort: settings.reasoning_effort }),
    };
  }

  async runTokenPublicKey(): Promise<JWK> {
    const jwk = await this.#setting<JWK>(GatewaySettingKeys.runTokenPublicKey);
    if (jwk === undefined)
      throw new Error('No run token key yet: start the API once (`akmatori serve`) to create it');
    return jwk;
  }

  async recordToolCall(record: ToolCallRecord): Promise<void> {
    await this.#options.knex('tool_calls').insert({
      run_id: record.runId,
      incident_id: record.incidentId,
      tool_instance_id: record.toolInstanceId,
      tool_instance_name: record.toolInstanceName,
      tool: record.tool,
      arguments: JSON.stringify(record.arguments),
      decision: record.decision,
      status: record.status,
      exit_code: record.exitCode,
      output_bytes: record.outputBytes,
      duration_ms: record.durationMs,
      error: record.error,
      started_at: record.startedAt,
      recorded_at: this.#options.clock.now(),
    });
  }

  async recordModelUsage(
    run: { runId: string; incidentId: string },
    usage: ModelUsage,
  ): Promise<void> {
    await this.#options.knex('model_usage').insert({
      run_id: run.runId,
      incident_id: run.incidentId,
      response_id: usage.responseId,
      model: usage.model,
      input_tokens: usage.inputTokens,
      cached_input_tokens: usage.cachedInputTokens,
      output_tokens: usage.outputTokens,
      reasoning_tokens: usage.reasoningTokens,
      recorded_at: this.#options.clock.now(),
    });
  }

  async awaitApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    const { knex, clock, log } = this.#options;
    const id = randomUUID();
    const createdAt = clock.now();
    const expiresAt = new Date(createdAt.getTime() + request.timeoutMs);
    await knex('approvals').insert({
      id,
      run_id: request.runId,
      incident_id: request.incidentId,
      tool_instance_id: request.toolInstanceId,
      tool: request.tool,
      summary: request.action.summary.slice(0, 2000),
      details: JSON.stringify(request.action.details),
      status: 'pending',
      created_at: createdAt,
      expires_at: expiresAt,
    });
    log.info(
      { approval: id, run: request.runId, summary: request.action.summary },
      'approval requested',
    );
    for (;;) {
      const row = (await knex('approvals')
        .select('status', 'reason', 'decided_by')
        .where({ id })
        .first()) as
        { status: string; reason: string | null; decided_by: string | null } | undefined;
      if (row !== undefined && row.status !== 'pending') return decisionOf(row);
      if (signal.aborted || clock.now() >= expiresAt) {
        const expired = await knex('approvals')
          .where({ id, status: 'pending' })
          .update({ status: 'expired', decided_at: clock.now(), reason: expiryReason(signal) });
        if (expired > 0)
          return { approved: false, outcome: 'expired', reason: expiryReason(signal) };
        continue; // decided between the read and the update: read the decision
      }
      await sleep(APPROVAL_POLL_MS, undefined, { signal }).catch(() => {}); // aborted: re-check at once
    }
  }

  async #setting<T>(key: string): Promise<T | undefined> {
    const row = (await this.#options
      .knex('gateway_settings')
      .select('value')
      .where({ key })
      .first()) as { value: T } | undefined;
    return row?.value;
  }
}

function decisionOf(row: {
  status: string;
  reason: string | null;
  decided_by: string | null;
}): ApprovalDecision {
  if (row.status === 'approved')
    return {
      approved: true,
      outcome: 'approved',
      reason: `approved by ${row.decided_by ?? 'an operator'}`,
    };
  if (row.status === 'denied') {
    const why = row.reason === null || row.reason === '' ? '' : `: ${row.reason}`;
    return {
      approved: false,
      outcome: 'denied',
      reason: `denied by ${row.decided_by ?? 'an operator'}${why}`,
    };
  }
  return {
    approved: false,
    outcome: 'expired',
    reason: row.reason ?? 'the approval request expired',
  };
}

function expiryReason(signal: AbortSignal): string {
  return signal.aborted
    ? 'the tool call ended before an operator decided'
    : 'no operator decided in time';
}
