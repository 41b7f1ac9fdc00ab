import type { ApprovalDecision } from '@akmatori/core';
import type { JWK } from 'jose';
import type {
  ApprovalRequest,
  GatewayStore,
  GatewayToolInstance,
  LlmProvider,
  ModelUsage,
  RunScope,
  Spend,
  SpendBudgets,
  SpendPolicy,
  SpendSnapshot,
  ToolCallRecord,
} from '@akmatori/gateway';
import { defaultSpendBudgets } from '@akmatori/gateway';

/** A GatewayStore in memory for the gateway's own tests; approvals are answered by the test. */
export class MemoryGatewayStore implements GatewayStore {
  readonly instances = new Map<string, GatewayToolInstance>();
  readonly toolCalls: ToolCallRecord[] = [];
  readonly usage: {
    runId: string;
    incidentId: string;
    usage: ModelUsage;
    costUsd: number | null;
    at: Date;
  }[] = [];
  /** Budgets and prices the spend guard enforces; tests change them. */
  policy: { budgets: SpendBudgets; prices: SpendPolicy['prices'] } = {
    budgets: defaultSpendBudgets,
    prices: {},
  };
  /** Each incident's alert source, for the per-source budget. */
  readonly incidentSources = new Map<string, string>();
  readonly approvalRequests: ApprovalRequest[] = [];
  provider: LlmProvider | undefined;
  answer: (request: ApprovalRequest) => ApprovalDecision = () => ({
    approved: false,
    outcome: 'denied',
    reason: 'denied by the test',
  });

  constructor(readonly publicJwk: JWK) {}

  async toolInstance(id: string): Promise<GatewayToolInstance | undefined> {
    return this.instances.get(id);
  }
  async llmProvider(): Promise<LlmProvider | undefined> {
    return this.provider;
  }
  async runTokenPublicKey(): Promise<JWK> {
    return this.publicJwk;
  }
  /** Runs the test has ended: their tokens are refused. Every other run is active. */
  readonly endedRuns = new Set<string>();
  async runActive(runId: string): Promise<boolean> {
    return !this.endedRuns.has(runId);
  }
  async recordToolCall(record: ToolCallRecord): Promise<void> {
    this.toolCalls.push(record);
  }
  async recordModelUsage(run: RunScope, usage: ModelUsage, costUsd?: number | null): Promise<void> {
    this.usage.push({ ...run, usage, costUsd: costUsd ?? null, at: new Date() });
  }
  async spendPolicy(): Promise<SpendPolicy> {
    return this.policy;
  }
  async modelSpend(run: RunScope, since: Date): Promise<SpendSnapshot> {
    const source = this.incidentSources.get(run.incidentId);
    const sum = (keep: (row: (typeof this.usage)[number]) => boolean): Spend =>
      this.usage.filter(keep).reduce(
        (spend, row) => ({
          tokens: spend.tokens + row.usage.inputTokens + row.usage.outputTokens,
          costUsd: spend.costUsd + (row.costUsd ?? 0),
        }),
        { tokens: 0, costUsd: 0 },
      );
    return {
      run: sum((row) => row.runId === run.runId),
      incident: sum((row) => row.incidentId === run.incidentId),
      sourceDay:
        source === undefined
          ? undefined
          : sum((row) => this.incidentSources.get(row.incidentId) === source && row.at >= since),
      day: sum((row) => row.at >= since),
    };
  }
  async awaitApproval(request: ApprovalRequest): Promise<ApprovalDecision> {
    this.approvalRequests.push(request);
    return this.answer(request);
  }
}
