import type { ApprovalDecision, WriteAction } from '@akmatori/core';
import type { JWK } from 'jose';
import type { LlmProvider, ModelUsage } from './llm-provider.js';
import type { PriceTable } from './model-prices.js';
import type { RecordedEntry } from './run-recording.js';
import type { SpendBudgets, SpendSnapshot } from './spend-budgets.js';

/** A tool instance as the gateway uses it: its decrypted credentials and the secret values among them. */
export interface GatewayToolInstance {
  readonly id: string;
  readonly name: string;
  /** The tool provider's id (`ssh`, `zabbix`). */
  readonly toolType: string;
  readonly enabled: boolean;
  /** Settings with secrets decrypted, as the provider's tools expect them. */
  readonly credentials: Readonly<Record<string, unknown>>;
  /** The decrypted secret values, scrubbed out of every result and audit record. */
  readonly secretValues: readonly string[];
}

/** How a tool call ended, as the audit log records it. */
export type ToolCallDecision =
  /** Read-only, or allowed without approval. */
  | 'allowed'
  /** A write action an operator approved. */
  | 'approved'
  /** A write action an operator denied. */
  | 'denied'
  /** A write action nobody decided in time. */
  | 'expired'
  /** Refused by policy or because the arguments were invalid; nothing ran. */
  | 'refused';

/** One `tools/call`, as written to the insert-only audit log. */
export interface ToolCallRecord {
  readonly runId: string;
  readonly incidentId: string;
  readonly toolInstanceId: string | null;
  readonly toolInstanceName: string | null;
  /** The provider's tool name (`execute_command`). */
  readonly tool: string;
  /** Arguments with secret values scrubbed. */
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly decision: ToolCallDecision;
  /** `ok`, `error` (the tool reported a failure) or `refused`. */
  readonly status: 'ok' | 'error' | 'refused';
  readonly exitCode: number | null;
  /** Bytes of text returned to the agent. */
  readonly outputBytes: number;
  readonly durationMs: number;
  /** Why it failed or was refused, scrubbed. */
  readonly error: string | null;
  readonly startedAt: Date;
}

/** An approval the gateway asks for on behalf of a tool. */
export interface ApprovalRequest {
  readonly runId: string;
  readonly incidentId: string;
  readonly toolInstanceId: string;
  readonly tool: string;
  readonly action: WriteAction;
  /** How long to wait for an operator before the request expires. */
  readonly timeoutMs: number;
}

/** The run a model call belongs to, as its run token names it. */
export interface RunScope {
  readonly runId: string;
  readonly incidentId: string;
}

/** What the model proxy's spend guard enforces: the budgets and the price table. */
export interface SpendPolicy {
  readonly budgets: SpendBudgets;
  readonly prices: PriceTable;
}

/**
 * Everything the gateway reads and writes, behind one interface so the same gateway runs on
 * PostgreSQL through a restricted role or on the embedded database inside the API process.
 * Reads are of tool instances, the LLM settings and the run token public key; writes are
 * audit records, model usage and approval requests.
 */
export interface GatewayStore {
  /** A tool instance with its credentials decrypted, if it exists. */
  toolInstance(id: string): Promise<GatewayToolInstance | undefined>;
  /** The configured LLM provider, with its key, if one is configured. */
  llmProvider(): Promise<LlmProvider | undefined>;
  /** The public key run tokens are verified with. */
  runTokenPublicKey(): Promise<JWK>;
  /**
   * Whether the run is still going (queued or running). A token of a run that finished, failed,
   * was cancelled or does not exist is refused on every request, however long its expiry.
   */
  runActive(runId: string): Promise<boolean>;
  /** Appends a record to the audit log. */
  recordToolCall(record: ToolCallRecord): Promise<void>;
  /**
   * Records the token usage of one model response of a run, with its cost in USD (null when
   * the model has no price).
   */
  recordModelUsage(run: RunScope, usage: ModelUsage, costUsd?: number | null): Promise<void>;
  /** The spend budgets (defaults filled in) and the model price table. */
  spendPolicy(): Promise<SpendPolicy>;
  /**
   * What has been spent by the run, by its incident, by the incident's alert source since
   * `since`, and by everything since `since` (the start of the UTC day).
   */
  modelSpend(run: RunScope, since: Date): Promise<SpendSnapshot>;
  /**
   * Appends an entry (already scrubbed of secrets) to the run's recording, which replay
   * answers the agent from. Optional: a store without it records nothing.
   */
  recordEntry?(run: RunScope, entry: RecordedEntry): Promise<void>;
  /** Creates an approval request and waits, bounded, for an operator's decision. */
  awaitApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision>;
}
