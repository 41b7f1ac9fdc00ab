import type { ApprovalDecision, ToolContext, WriteAction } from '../contracts/tool-provider.js';
import { silentLogger } from '../logging/logger.js';

/** Options for {@link createToolContext}. */
export interface ToolContextOptions {
  /** How approval requests are answered: always approve, always deny, or a function. Default deny. */
  readonly approvals?: 'approve' | 'deny' | ((action: WriteAction) => ApprovalDecision);
  /** Aborts the call; default never. */
  readonly signal?: AbortSignal;
}

/** A {@link ToolContext} for tests, with the approval requests the tool made. */
export interface TestToolContext<Credentials> extends ToolContext<Credentials> {
  /** Every write action the tool asked approval for, in order. */
  readonly approvalRequests: WriteAction[];
}

/**
 * Builds the context a tool's `execute` gets from the gateway, for testing a tool
 * provider without one.
 *
 * @example
 * ```ts
 * const context = createToolContext({ api_url: 'http://127.0.0.1:8080' }, { approvals: 'approve' });
 * const result = await myTool.execute(context, { query: 'up' });
 * ```
 */
export function createToolContext<Credentials>(
  credentials: Credentials,
  options: ToolContextOptions = {},
): TestToolContext<Credentials> {
  const approvalRequests: WriteAction[] = [];
  const answer = options.approvals ?? 'deny';
  return {
    credentials,
    incidentId: '00000000-0000-4000-8000-000000000001',
    runId: 'test-run',
    signal: options.signal ?? new AbortController().signal,
    log: silentLogger(),
    approvalRequests,
    requestApproval(action: WriteAction): Promise<ApprovalDecision> {
      approvalRequests.push(action);
      if (typeof answer === 'function') return Promise.resolve(answer(action));
      return Promise.resolve(
        answer === 'approve'
          ? { approved: true, outcome: 'approved', reason: 'approved by the test' }
          : { approved: false, outcome: 'denied', reason: 'denied by the test' },
      );
    },
  };
}
