import { defineErrorCatalog } from '@akmatori/core';

/**
 * Every error the Codex runner and its worker raise for a condition someone can act on, with
 * its stable code and HTTP status. Codes are part of the API: add new ones, never change or
 * reuse old ones. (Broken internal invariants stay plain `Error`s: nobody can act on them.)
 */
export const CodexRunnerErrors = defineErrorCatalog({
  /** A worker option out of range (capacity, token, session size, reconnect jitter). */
  AKM_CODEX_WORKER_OPTION_INVALID: {
    status: 500,
    message: (p: { reason: string }) => p.reason,
  },
  AKM_CODEX_API_URL_INVALID: {
    status: 500,
    message: (p: { apiUrl: string; problem: string }) =>
      `apiUrl ${JSON.stringify(p.apiUrl)} ${p.problem}`,
  },
  /** GATEWAY_URL cannot be reached from inside the agent sandbox; the message says what to change. */
  AKM_CODEX_GATEWAY_URL_INVALID: {
    status: 500,
    message: (p: { gatewayUrl: string; problem: string }) =>
      `the gateway URL ${p.gatewayUrl} ${p.problem}`,
  },
  AKM_CODEX_PLATFORM_UNSUPPORTED: {
    status: 500,
    message: (p: { platform: string }) =>
      `the agent sandbox runs on Linux x64 and arm64, not ${p.platform}`,
  },
  /** Codex's native binary is not installed where its package says. */
  AKM_CODEX_BINARY_MISSING: {
    status: 500,
    message: (p: { reason: string }) => p.reason,
  },
  AKM_CODEX_BWRAP_MISSING: {
    status: 500,
    message: (p: { at: string | undefined }) =>
      `bubblewrap (bwrap) is not installed${p.at === undefined ? '' : ` at ${p.at}`}, so the agent cannot be contained: install it (Debian and Ubuntu: apt-get install bubblewrap)`,
  },
  AKM_CODEX_SESSION_ID_INVALID: {
    status: 400,
    message: (p: { sessionId: string }) => `invalid session id ${JSON.stringify(p.sessionId)}`,
  },
  AKM_CODEX_SESSION_ARCHIVE_TOO_LARGE: {
    status: 413,
    message: (p: { codexHome: string; bytes: number; limit: number }) =>
      `the session archive of ${p.codexHome} is ${p.bytes} bytes, over the limit of ${p.limit}`,
  },
  /** A session archive that cannot be restored; `problem` completes "the session archive …". */
  AKM_CODEX_SESSION_ARCHIVE_INVALID: {
    status: 400,
    message: (p: { problem: string }) => `the session archive ${p.problem}`,
  },
  AKM_CODEX_SKILL_NAME_INVALID: {
    status: 400,
    message: (p: { name: string }) =>
      `invalid skill name ${JSON.stringify(p.name)}: use a-z, 0-9 and single hyphens`,
  },
  AKM_CODEX_SKILL_DIR_MISSING: {
    status: 500,
    message: (p: { skill: string; dir: string }) => `skill ${p.skill}: ${p.dir} is not a directory`,
  },
  AKM_CODEX_CONTEXT_FILE_NAME_INVALID: {
    status: 400,
    message: (p: { name: string }) => `invalid context file name ${JSON.stringify(p.name)}`,
  },
  /** The run has no model: the LLM provider is not set up. */
  AKM_CODEX_MODEL_NOT_SET: {
    status: 409,
    message: () =>
      'the LLM provider is not configured (no model is set): set it with PUT /api/settings/llm',
  },
  AKM_CODEX_SESSION_NOT_RESUMABLE: {
    status: 409,
    message: (p: { sessionId: string }) =>
      `session ${p.sessionId} cannot be resumed: its state was not kept`,
  },
  /** A name in a task (skill, skill file, context file) that is not a plain relative path. */
  AKM_CODEX_TASK_NAME_INVALID: {
    status: 400,
    message: (p: { what: string; name: string }) => `invalid ${p.what} ${JSON.stringify(p.name)}`,
  },
  /** The worker cannot contain the agent (no usable bwrap sandbox), so it does not run it. */
  AKM_CODEX_CONTAINMENT_UNAVAILABLE: {
    status: 503,
    message: (p: { reason: string }) =>
      `the agent cannot be contained on this worker, so it does not investigate: ${p.reason}`,
  },
  AKM_CODEX_RUN_DIR_UNAVAILABLE: {
    status: 500,
    message: (p: { runDir: string; reason: string }) =>
      `cannot create run directory ${p.runDir}: ${p.reason}`,
  },
});
