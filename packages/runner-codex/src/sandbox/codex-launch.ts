import path from 'node:path';
import type { Logger } from '@akmatori/core';
import { codexExecArguments, type CodexExecArgumentsOptions } from '../codex-arguments.js';
import { codexEntryPoint, codexPlatformDir } from '../codex-binary.js';
import { codexEnvironment } from '../codex-environment.js';
import type { RunWorkspace } from '../run-workspace.js';
import type { AgentContainment } from './agent-containment.js';
import { bwrapArguments } from './bwrap-arguments.js';
import { findBwrap } from './find-bwrap.js';
import { gatewayEndpoint } from './gateway-endpoint.js';
import { openGatewayRelay } from './gateway-relay.js';
import { writeSandboxEtc } from './sandbox-etc.js';
import { SANDBOX_PATH, sandboxWorkspace } from './sandbox-layout.js';
import { CodexRunnerErrors } from '../errors.js';

/** A process to spawn for one Codex turn, and what to release once it has exited. */
export interface CodexLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Releases what the launch set up (the gateway relay and its directory). Idempotent. */
  close(): void;
}

/** What {@link codexLaunch} needs. */
export interface CodexLaunchOptions {
  readonly containment: AgentContainment;
  readonly workspace: Pick<RunWorkspace, 'runDir' | 'workspaceDir' | 'codexHome' | 'tmpDir'>;
  /** The `codex exec` arguments besides the working directory. */
  readonly exec: Omit<CodexExecArgumentsOptions, 'workspaceDir'>;
  readonly runToken: string;
  /** PATH of Codex in a container. Default: the worker's. (The sandbox has its own.) */
  readonly path?: string;
  readonly lang?: string;
  /** The Codex entry point run with Node in a container. Default: `@openai/codex/bin/codex.js`. */
  readonly codexEntryPoint?: string;
  readonly log: Logger;
}

/**
 * How to start Codex for a run under its containment. In a `container`, Node runs the Codex
 * entry point in the workspace with an environment built from scratch. With `bwrap`, the
 * sandbox is set up first (the gateway relay, the generated `/etc`) and bubblewrap starts Codex
 * inside it with the run directory at `/akmatori/run`; the caller spawns the result and calls
 * `close()` once the process has exited. Throws, with what to do, when bubblewrap is missing or
 * the gateway cannot be reached from a sandbox.
 *
 * @example
 * ```ts
 * const launch = codexLaunch({ containment: { kind: 'bwrap', gatewayUrl }, workspace, exec: { prompt }, runToken, log });
 * const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: launch.env, detached: true });
 * child.on('close', () => launch.close());
 * ```
 */
export function codexLaunch(options: CodexLaunchOptions): CodexLaunch {
  const { containment, workspace } = options;
  const lang = options.lang ?? process.env.LANG ?? 'C.UTF-8';
  if (containment.kind === 'container') {
    return {
      command: process.execPath,
      args: [
        options.codexEntryPoint ?? codexEntryPoint(),
        ...codexExecArguments({ ...options.exec, workspaceDir: workspace.workspaceDir }),
      ],
      env: codexEnvironment(workspace, {
        runToken: options.runToken,
        lang,
        ...(options.path === undefined ? {} : { path: options.path }),
      }),
      cwd: workspace.workspaceDir,
      close: () => undefined,
    };
  }

  const inside = sandboxWorkspace();
  const overrides = [
    ...(options.exec.configOverrides ?? []),
    ...(containment.innerSandbox === false ? ['sandbox_mode="danger-full-access"'] : []),
  ];
  return sandboxedLaunch({
    containment,
    runDir: workspace.runDir,
    codexArgs: codexExecArguments({
      ...options.exec,
      configOverrides: overrides,
      workspaceDir: inside.workspaceDir,
    }),
    runToken: options.runToken,
    lang,
    log: options.log,
  });
}

/**
 * Sets up the bubblewrap sandbox of one run (the gateway relay, the generated `/etc`) and says
 * how to start `codex <codexArgs>` inside it, paths as seen inside. Throws, saying what to do,
 * when bubblewrap is missing or the gateway cannot be reached from a sandbox.
 *
 * @example
 * ```ts
 * const launch = sandboxedLaunch({ containment, runDir, codexArgs: ['--version'], runToken, lang: 'C.UTF-8', log });
 * ```
 */
export function sandboxedLaunch(options: {
  readonly containment: Extract<AgentContainment, { kind: 'bwrap' }>;
  readonly runDir: string;
  readonly codexArgs: readonly string[];
  readonly runToken: string;
  readonly lang: string;
  readonly log: Logger;
}): CodexLaunch {
  const { containment } = options;
  const bwrap = findBwrap(containment.bwrapPath);
  if (bwrap === undefined) {
    throw CodexRunnerErrors.AKM_CODEX_BWRAP_MISSING({ at: containment.bwrapPath });
  }
  const endpoint = gatewayEndpoint(containment.gatewayUrl);
  const codexDir = codexPlatformDir();
  const relay = openGatewayRelay(endpoint, options.log);
  try {
    const etcDir = path.join(relay.dir, 'etc');
    writeSandboxEtc(etcDir, endpoint.hostName);
    return {
      command: bwrap,
      args: bwrapArguments({
        runDir: options.runDir,
        codexDir,
        socketDir: relay.socketDir,
        etcDir,
        nodeExecutable: process.execPath,
        endpoint,
        codexArgs: options.codexArgs,
      }),
      env: codexEnvironment(sandboxWorkspace(), {
        runToken: options.runToken,
        path: SANDBOX_PATH,
        lang: options.lang,
      }),
      cwd: options.runDir,
      close: () => relay.close(),
    };
  } catch (error) {
    relay.close();
    throw error;
  }
}
