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
export { readModelUsage } from './model-proxy-usage.js';
export { createModelProxy, modelProxyDefaults, type ModelProxyOptions } from './model-proxy.js';
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
export { SCRUBBED, scrubSecrets, scrubValue } from './secret-scrubber.js';
export { mcpToolName } from './tool-catalog.js';

/** The version of this package. */
export const gatewayVersion: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
