import { RUN_TOKEN_ENV } from './codex-config.js';
import type { RunWorkspace } from './run-workspace.js';

/** What {@link codexEnvironment} needs besides the run directory. */
export interface CodexEnvironmentOptions {
  /** The run token (Codex's bearer for the gateway's model proxy and MCP endpoint). */
  readonly runToken: string;
  /** PATH for Codex and its shell. Default: the worker's PATH (a search path, not a secret). */
  readonly path?: string;
  /** LANG. Default: the worker's LANG, else `C.UTF-8`. */
  readonly lang?: string;
}

/** The only variables a Codex process gets. */
export const codexEnvironmentNames = Object.freeze([
  'PATH',
  'HOME',
  'LANG',
  'TMPDIR',
  'CODEX_HOME',
  RUN_TOKEN_ENV,
] as const);

/**
 * The environment of a Codex process, built from scratch so nothing of the worker's own
 * environment (database URLs, API keys…) reaches the agent: PATH, LANG, HOME (the run
 * directory, not the worker's home), TMPDIR (inside it), CODEX_HOME and the run token.
 *
 * @example
 * ```ts
 * spawn(process.execPath, args, { env: codexEnvironment(workspace, { runToken }) });
 * ```
 */
export function codexEnvironment(
  workspace: Pick<RunWorkspace, 'runDir' | 'codexHome' | 'tmpDir'>,
  options: CodexEnvironmentOptions,
): Record<(typeof codexEnvironmentNames)[number], string> {
  return {
    PATH: options.path ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: workspace.runDir,
    LANG: options.lang ?? process.env.LANG ?? 'C.UTF-8',
    TMPDIR: workspace.tmpDir,
    CODEX_HOME: workspace.codexHome,
    [RUN_TOKEN_ENV]: options.runToken,
  } as Record<(typeof codexEnvironmentNames)[number], string>;
}
