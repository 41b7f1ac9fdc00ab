/**
 * `@akmatori/gateway`: the MCP gateway. It exposes tool providers as MCP tools over
 * Streamable HTTP behind per-run tokens, holds the credentials, asks operators to approve
 * write actions, writes the audit log, and proxies model calls with the real API key.
 */
import { createRequire } from 'node:module';

export { GatewayErrors } from './errors.js';
export { Gateway, type GatewayOptions } from './gateway-server.js';
export type {
  ApprovalRequest,
  GatewayStore,
  GatewayToolInstance,
  RunScope,
  SpendPolicy,
  ToolCallDecision,
  ToolCallRecord,
} from './gateway-store.js';
export { checkHost } from './host-check.js';
export {
  llmProviderKinds,
  responsesUrl,
  type LlmProvider,
  type ModelUsage,
} from './llm-provider.js';
export {
  priceOf,
  tokenCost,
  type ModelPrice,
  type PriceTable,
  type TokenCounts,
} from './model-prices.js';
export { readModelUsage } from './model-proxy-usage.js';
export { applyRequestPolicy, localToolTypes, type PolicyOutcome } from './model-request-policy.js';
export {
  createModelProxy,
  modelProxyDefaults,
  type ModelExchange,
  type ModelProxyOptions,
} from './model-proxy.js';
export {
  MAX_RUN_TOKEN_TTL_SECONDS,
  RunTokenSigner,
  RunTokenVerifier,
  createRunTokenKeys,
  type RunTokenClaims,
  type RunTokenKeys,
  type RunTokenRequest,
  type ToolGrant,
} from './run-token.js';
// The scrubber lives in @akmatori/core (the logger uses it too); kept here for existing users.
export { SCRUBBED, scrubSecrets, scrubValue } from '@akmatori/core';
export {
  budgetBreach,
  defaultSpendBudgets,
  describeBreach,
  utcDayStart,
  type BudgetBreach,
  type Spend,
  type SpendBudgets,
  type SpendLimit,
  type SpendSnapshot,
} from './spend-budgets.js';
export type {
  RecordedEntry,
  RecordedModelExchange,
  RecordedTask,
  RecordedTool,
  RecordedToolCall,
  RecordedToolList,
} from './run-recording.js';
export { createSpendGuard, type SpendGuard } from './spend-guard.js';
export { mcpToolName } from './tool-catalog.js';

/** The version of this package. */
export const gatewayVersion: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
