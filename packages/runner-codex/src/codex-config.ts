import { stringify } from 'smol-toml';

/** Environment variable holding the run token: Codex sends it as `Authorization: Bearer` to both the model proxy and the MCP endpoint. */
export const RUN_TOKEN_ENV = 'AKMATORI_RUN_TOKEN';

/** Name of the model provider and of the MCP server in Codex's config (tools appear as `mcp__akmatori`). */
export const GATEWAY_SERVER_NAME = 'akmatori';

/** What the Codex config of a run says. Only `gatewayUrl` and `model` are required. */
export interface CodexConfigOptions {
  /** Root URL of the MCP gateway, such as `http://gateway:8080` (model proxy at `/v1`, MCP at `/mcp`). */
  readonly gatewayUrl: string;
  /** Model name sent to the provider, such as `gpt-5.5`. */
  readonly model: string;
  /** `model_reasoning_effort` (`minimal`, `low`, `medium`, `high`, `xhigh`); Codex's default when absent. */
  readonly reasoningEffort?: string;
  /** How long one gateway tool call may take, in seconds; approvals can wait for minutes. Default 900. */
  readonly toolTimeoutSec?: number;
  /** How long Codex waits for the gateway's MCP endpoint to initialize, in seconds. Default 30. */
  readonly mcpStartupTimeoutSec?: number;
  /** Retries of a failed model request. Default 4. */
  readonly requestMaxRetries?: number;
  /** Retries of a model stream cut off midway. Default 5. */
  readonly streamMaxRetries?: number;
  /** How long a model stream may stay silent, in milliseconds. Default 300000. */
  readonly streamIdleTimeoutMs?: number;
  /**
   * Sandbox of the agent's shell commands: `workspace-write` (default: they may write only the
   * workspace and temp dirs; needs unprivileged user namespaces for bubblewrap), `read-only`,
   * or `danger-full-access` when the worker's container is the sandbox.
   */
  readonly sandboxMode?: 'workspace-write' | 'read-only' | 'danger-full-access';
  /** Whether the agent's shell commands may use the network (the gateway's tools always can). Default false. */
  readonly shellNetworkAccess?: boolean;
  /** Codex's built-in web search: `disabled` (default: incident data stays in-house), `cached` or `live`. */
  readonly webSearch?: 'disabled' | 'cached' | 'live';
  /** Largest AGENTS.md Codex reads into the prompt, in bytes. Default 262144. */
  readonly agentsMdMaxBytes?: number;
  /** Whether the run fails at once when the gateway's MCP endpoint cannot be initialized (`required`). Default true. */
  readonly requireGatewayTools?: boolean;
}

/** Defaults of {@link CodexConfigOptions}. */
export const codexConfigDefaults = Object.freeze({
  toolTimeoutSec: 900,
  mcpStartupTimeoutSec: 30,
  requestMaxRetries: 4,
  streamMaxRetries: 5,
  streamIdleTimeoutMs: 300_000,
  sandboxMode: 'workspace-write' as const,
  shellNetworkAccess: false,
  webSearch: 'disabled' as const,
  agentsMdMaxBytes: 262_144,
  requireGatewayTools: true,
});

/**
 * The `config.toml` of a run as a plain object. Codex talks to the model only through the
 * gateway's model proxy (a custom `responses` provider whose key is the run token) and gets
 * its tools only from the gateway's MCP endpoint. The gateway enforces policy and asks
 * operators for approvals itself, so Codex approves every gateway tool call
 * (`default_tools_approval_mode = "approve"`; in `exec` mode Codex would otherwise refuse
 * tools not marked read-only). Shell commands run in the `workspace-write` sandbox (unless
 * `sandboxMode` says otherwise), never asking (`approval_policy = "never"`), without the
 * `AKMATORI_*` variables. Codex's analytics, update check and web search are off.
 *
 * @example
 * ```ts
 * codexConfig({ gatewayUrl: 'http://gateway:8080', model: 'gpt-5.5' }).model_provider; // 'akmatori'
 * ```
 */
export function codexConfig(options: CodexConfigOptions): Record<string, unknown> {
  const settings = { ...codexConfigDefaults, ...definedOnly(options) };
  const gateway = options.gatewayUrl.replace(/\/+$/, '');
  return {
    model: options.model,
    model_provider: GATEWAY_SERVER_NAME,
    ...(options.reasoningEffort === undefined
      ? {}
      : { model_reasoning_effort: options.reasoningEffort }),
    approval_policy: 'never',
    sandbox_mode: settings.sandboxMode,
    web_search: settings.webSearch,
    project_doc_max_bytes: settings.agentsMdMaxBytes,
    check_for_update_on_startup: false,
    analytics: { enabled: false },
    shell_environment_policy: { inherit: 'all', exclude: ['AKMATORI_*'] },
    sandbox_workspace_write: { network_access: settings.shellNetworkAccess },
    model_providers: {
      [GATEWAY_SERVER_NAME]: {
        name: 'Akmatori gateway',
        base_url: `${gateway}/v1`,
        wire_api: 'responses',
        env_key: RUN_TOKEN_ENV,
        request_max_retries: settings.requestMaxRetries,
        stream_max_retries: settings.streamMaxRetries,
        stream_idle_timeout_ms: settings.streamIdleTimeoutMs,
      },
    },
    mcp_servers: {
      [GATEWAY_SERVER_NAME]: {
        url: `${gateway}/mcp`,
        bearer_token_env_var: RUN_TOKEN_ENV,
        startup_timeout_sec: settings.mcpStartupTimeoutSec,
        tool_timeout_sec: settings.toolTimeoutSec,
        default_tools_approval_mode: 'approve',
        required: settings.requireGatewayTools,
      },
    },
  };
}

/**
 * The `config.toml` text of a run (see {@link codexConfig}); values are TOML-escaped.
 *
 * @example
 * ```ts
 * await writeFile(path.join(codexHome, 'config.toml'), renderCodexConfig({ gatewayUrl, model }));
 * ```
 */
export function renderCodexConfig(options: CodexConfigOptions): string {
  return stringify(codexConfig(options));
}

function definedOnly(options: CodexConfigOptions): Partial<CodexConfigOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
