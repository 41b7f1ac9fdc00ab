import type { RunWorkspace } from '../run-workspace.js';

/** Where the run directory is mounted inside the agent sandbox (read-write). */
export const SANDBOX_RUN_DIR = '/akmatori/run';
/** Where the Codex platform package's files are mounted inside the sandbox (read-only). */
export const SANDBOX_CODEX_DIR = '/akmatori/codex';
/** The native Codex binary inside the sandbox. */
export const SANDBOX_CODEX_BINARY = `${SANDBOX_CODEX_DIR}/bin/codex`;
/** Directory inside the sandbox holding the socket that leads to the gateway. */
export const SANDBOX_GATEWAY_DIR = '/akmatori/gateway';
/** The socket inside the sandbox that leads to the gateway. */
export const SANDBOX_GATEWAY_SOCKET = `${SANDBOX_GATEWAY_DIR}/gateway.sock`;
/** User and group ids the agent runs as inside the sandbox (mapped to the worker's own). */
export const SANDBOX_UID = 1000;
/** Name of that user inside the sandbox. */
export const SANDBOX_USER = 'agent';
/** PATH inside the sandbox: Codex's helpers (`rg`), then the system's directories. */
export const SANDBOX_PATH = `${SANDBOX_CODEX_DIR}/codex-path:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

/**
 * The run workspace as the agent sees it inside the sandbox: the same layout under
 * {@link SANDBOX_RUN_DIR}, whatever the worker's runs directory is on the host (so no host
 * path reaches the model, and a resumed session finds the same paths on any worker).
 *
 * @example
 * ```ts
 * sandboxWorkspace().workspaceDir; // '/akmatori/run/workspace'
 * ```
 */
export function sandboxWorkspace(): Pick<
  RunWorkspace,
  'runDir' | 'workspaceDir' | 'codexHome' | 'tmpDir'
> {
  return {
    runDir: SANDBOX_RUN_DIR,
    workspaceDir: `${SANDBOX_RUN_DIR}/workspace`,
    codexHome: `${SANDBOX_RUN_DIR}/codex-home`,
    tmpDir: `${SANDBOX_RUN_DIR}/tmp`,
  };
}
