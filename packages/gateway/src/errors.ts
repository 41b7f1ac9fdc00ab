import { defineErrorCatalog } from '@akmatori/core';

/**
 * Every error the gateway raises, with its stable code and HTTP status. The gateway's
 * HTTP layer turns them into `{"error": {"code", "message"}}` responses.
 */
export const GatewayErrors = defineErrorCatalog({
  AKM_GATEWAY_TOKEN_MISSING: {
    status: 401,
    message: () => 'A run token is required: send Authorization: Bearer <run token>',
  },
  AKM_GATEWAY_TOKEN_INVALID: {
    status: 401,
    message: (p: { reason: string }) => `Invalid run token: ${p.reason}`,
  },
  AKM_GATEWAY_TOKEN_EXPIRED: {
    status: 401,
    message: () => 'The run token has expired',
  },
  AKM_GATEWAY_RUN_ENDED: {
    status: 401,
    message: (p: { runId: string }) =>
      `Run ${p.runId} has ended (finished, failed or cancelled): its token is no longer accepted`,
  },
  AKM_GATEWAY_MODEL_NOT_ALLOWED: {
    status: 403,
    message: () => 'This run token does not allow model calls',
  },
  AKM_GATEWAY_HOST_NOT_ALLOWED: {
    status: 403,
    message: (p: { host: string }) =>
      `Host header "${p.host}" is not one this gateway answers to (GATEWAY_ALLOWED_HOSTS)`,
  },
  AKM_GATEWAY_SESSION_UNKNOWN: {
    status: 404,
    message: () => 'Unknown or closed MCP session: initialize a new one',
  },
  AKM_GATEWAY_SESSION_REQUIRED: {
    status: 400,
    message: () => 'No MCP session: send initialize first, then the Mcp-Session-Id header',
  },
  AKM_GATEWAY_SESSION_FORBIDDEN: {
    status: 403,
    message: () => 'This MCP session belongs to another run',
  },
  AKM_GATEWAY_BODY_TOO_LARGE: {
    status: 413,
    message: (p: { limit: number }) => `Request body is over the limit of ${p.limit} bytes`,
  },
  AKM_GATEWAY_BAD_REQUEST: {
    status: 400,
    message: (p: { reason: string }) => p.reason,
  },
  AKM_GATEWAY_RATE_LIMITED: {
    status: 429,
    message: (p: { reason: string }) => `Run limit reached: ${p.reason}`,
  },
  AKM_GATEWAY_MODEL_METHOD_NOT_ALLOWED: {
    status: 405,
    message: (p: { method: string }) => `Model calls must be POST, not ${p.method}`,
  },
  AKM_GATEWAY_MODEL_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: (p: { contentType: string }) =>
      `Model calls must have a JSON body (content-type: application/json), not "${p.contentType}"`,
  },
  AKM_GATEWAY_MODEL_PROVIDER_NOT_CONFIGURED: {
    status: 503,
    message: () => 'LLM provider is not configured',
  },
  AKM_GATEWAY_MODEL_PROVIDER_INVALID: {
    status: 503,
    message: (p: { reason: string }) => `LLM provider settings are unusable: ${p.reason}`,
  },
  AKM_GATEWAY_MODEL_PROVIDER_UNREACHABLE: {
    status: 502,
    message: (p: { host: string; reason: string }) =>
      `Cannot reach the LLM provider at ${p.host}: ${p.reason}`,
  },
  AKM_GATEWAY_MODEL_PROVIDER_TIMEOUT: {
    status: 504,
    message: (p: { host: string; seconds: number }) =>
      `The LLM provider at ${p.host} did not answer within ${p.seconds} s`,
  },
  AKM_GATEWAY_BUDGET_EXCEEDED: {
    // 400, not 429: Codex retries 429 and 5xx, but ends the turn on a 400 with this message.
    status: 400,
    message: (p: { reason: string }) =>
      `Spend budget exceeded, the model proxy refuses further model calls: ${p.reason}. An admin can raise it with PUT /api/settings/budgets`,
  },
  AKM_GATEWAY_BUDGET_UNAVAILABLE: {
    status: 503,
    message: () => 'The spend budgets could not be checked; model calls are refused until they can',
  },
  AKM_GATEWAY_NOT_FOUND: {
    status: 404,
    message: (p: { method: string; path: string }) => `No route ${p.method} ${p.path}`,
  },
});
