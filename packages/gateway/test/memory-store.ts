import type { ApprovalDecision } from '@akmatori/core';
import type { JWK } from 'jose';
import type {
  ApprovalRequest,
  GatewayStore,
  GatewayToolInstance,
  LlmProvider,
  ModelUsage,
  ToolCallRecord,
} from '../src/index.js';

/** A GatewayStore in memory for the gateway's own tests; approvals are answered by the test. */
export class MemoryGatewayStore implements GatewayStore {
  readonly instances = new Map<string, GatewayToolInstance>();
  readonly toolCalls: ToolCallRecord[] = [];
  readonly usage: { runId: string; usage: ModelUsage }[] = [];
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
  async recordToolCall(record: ToolCallRecord): Promise<void> {
    this.toolCalls.push(record);
  }
  async recordModelUsage(run: { runId: string }, usage: ModelUsage): Promise<void> {
    this.usage.push({ runId: run.runId, usage });
  }
  async awaitApproval(request: ApprovalRequest): Promise<ApprovalDecision> {
    this.approvalRequests.push(request);
    return this.answer(request);
  }
}
