import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ApprovalDecision,
  type Clock,
  type Logger,
  type PluginHost,
  secretFields,
} from '@akmatori/core';
import { isUuid, type SecretBox } from '@akmatori/host';
import type {
  ApprovalRequest,
  GatewayStore,
  GatewayToolInstance,
  LlmProvider,
  ModelUsage,
  PriceTable,
  RecordedEntry,
  RunScope,
  Spend,
  SpendPolicy,
  SpendSnapshot,
  ToolCallRecord,
} from '@akmatori/gateway';
import type { JWK } from 'jose';
import type { Knex } from 'knex';
import { toolSecretContext } from '../tools/credential-rules.js';
import { resolveBudgets, spendBudgetsOf } from './budget-settings.js';
import { GatewaySettingKeys, type StoredLlmSettings } from './gateway-settings.js';
import { AppErrors } from '../errors.js';
import { RunRecordingStore } from '../replay/run-recording-store.js';

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
 * The gateway's store on the app database. It reads only `tool_instances`, the
 * `gateway_settings` view, the status of `runs` (a token dies with its run), the source
 * of incidents and the sums of `model_usage` (for the
 * spend budgets), and only inserts into `tool_calls`, `model_usage`, `run_recordings` and `approvals`
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
    if (jwk === undefined) throw AppErrors.AKM_RUN_TOKEN_KEY_MISSING();
    return jwk;
  }

  async runActive(runId: string): Promise<boolean> {
    if (!isUuid(runId)) return false;
    // A cancel ends the incident at once and its run only once the worker has stopped Codex:
    // the token dies with whichever comes first.
    const row = (await this.#options
      .knex('runs')
      .join('incidents', 'incidents.id', 'runs.incident_id')
      .select('runs.status as run', 'incidents.status as incident')
      .where('runs.id', runId)
      .first()) as { run: string; incident: string } | undefined;
    if (row === undefined || row.incident === 'cancelled') return false;
    return row.run === 'queued' || row.run === 'running';
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

  async recordEntry(run: RunScope, entry: RecordedEntry): Promise<void> {
    await new RunRecordingStore(this.#options).append(run, entry);
  }

  async recordModelUsage(run: RunScope, usage: ModelUsage, costUsd?: number | null): Promise<void> {
    const { knex } = this.#options;
    await knex('model_usage').insert({
      run_id: run.runId,
      incident_id: run.incidentId,
      source_id: knex('incidents').select('source_id').where({ id: run.incidentId }),
      cost_usd: costUsd ?? null,
      response_id: usage.responseId,
      model: usage.model,
      input_tokens: usage.inputTokens,
      cached_input_tokens: usage.cachedInputTokens,
      output_tokens: usage.outputTokens,
      reasoning_tokens: usage.reasoningTokens,
      recorded_at: this.#options.clock.now(),
    });
  }

  async spendPolicy(): Promise<SpendPolicy> {
    const rows = (await this.#options
      .knex('gateway_settings')
      .select('key', 'value')
      .whereIn('key', [GatewaySettingKeys.budgets, GatewaySettingKeys.prices])) as {
      key: string;
      value: unknown;
    }[];
    const value = (key: string): unknown => rows.find((row) => row.key === key)?.value;
    return {
      budgets: spendBudgetsOf(resolveBudgets(value(GatewaySettingKeys.budgets))),
      prices: (value(GatewaySettingKeys.prices) ?? {}) as PriceTable,
    };
  }

  async modelSpend(run: RunScope, since: Date): Promise<SpendSnapshot> {
    const { knex } = this.#options;
    const incident = (await knex('incidents')
      .select('source_id')
      .where({ id: run.incidentId })
      .first()) as { source_id: string | null } | undefined;
    const sourceId = incident?.source_id ?? null;
    const sums = (name: string, filter: string, bindings: Knex.RawBinding[]): Knex.Raw[] => [
      knex.raw(
        `coalesce(sum(input_tokens + output_tokens) filter (where ${filter}), 0)::float8 as ${name}_tokens`,
        bindings,
      ),
      knex.raw(
        `coalesce(sum(cost_usd) filter (where ${filter}), 0)::float8 as ${name}_cost`,
        bindings,
      ),
    ];
    // One pass over the run's, the incident's and today's rows (indexes on each).
    const row = (await knex('model_usage')
      .select(
        ...sums('run', 'run_id = ?', [run.runId]),
        ...sums('incident', 'incident_id = ?', [run.incidentId]),
        ...sums('source', 'source_id = ? and recorded_at >= ?', [sourceId, since]),
        ...sums('day', 'recorded_at >= ?', [since]),
      )
      .where('run_id', run.runId)
      .orWhere('incident_id', run.incidentId)
      .orWhere('recorded_at', '>=', since)
      .first()) as Record<string, number | string>;
    const spend = (name: string): Spend => ({
      tokens: Number(row[`${name}_tokens`]),
      costUsd: Number(row[`${name}_cost`]),
    });
    return {
      run: spend('run'),
      incident: spend('incident'),
      sourceDay: sourceId === null ? undefined : spend('source'),
      day: spend('day'),
    };
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
