import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger, type Logger } from '@akmatori/core';
import { sandboxedLaunch, type CodexLaunch } from './codex-launch.js';

/** Whether this machine can contain the agent in a bubblewrap sandbox. */
export type SandboxProbe =
  /** It can; `innerSandbox` says whether Codex's own sandbox also runs inside it. */
  | { readonly ok: true; readonly innerSandbox: boolean; readonly note?: string }
  /** It cannot, and why (what to install or change). */
  | { readonly ok: false; readonly reason: string };

const PROBE_TIMEOUT_MS = 30_000;

/**
 * Starts the agent sandbox once for real, the way runs start it (bubblewrap, the relay inside,
 * the native Codex), and has Codex run `/bin/true` in its own `workspace-write` sandbox inside
 * it. When that works, runs are contained by both. When only the outer sandbox works (the host
 * cannot nest user namespaces), runs are still contained, by the outer one alone. When the
 * outer one cannot start, investigations must not run here; the reason says why.
 *
 * @example
 * ```ts
 * const probe = await probeAgentSandbox();
 * if (!probe.ok) log.error(probe.reason);
 * ```
 */
export async function probeAgentSandbox(
  options: { bwrapPath?: string; log?: Logger } = {},
): Promise<SandboxProbe> {
  const nested = await attempt(
    ['sandbox', '-c', 'sandbox_mode="workspace-write"', '--', '/bin/true'],
    options,
  );
  if (nested === undefined) return { ok: true, innerSandbox: true };
  const outer = await attempt(['--version'], options);
  if (outer === undefined) {
    return {
      ok: true,
      innerSandbox: false,
      note: `Codex's own sandbox cannot run inside the agent sandbox here (${nested}); the agent sandbox alone contains the agent`,
    };
  }
  return { ok: false, reason: `the agent sandbox cannot start on this machine: ${outer}` };
}

/** Runs `codex <args>` in a throwaway sandbox; undefined when it exits 0, else what went wrong. */
async function attempt(
  codexArgs: readonly string[],
  options: { bwrapPath?: string; log?: Logger },
): Promise<string | undefined> {
  const runDir = mkdtempSync(path.join(tmpdir(), 'akmatori-probe-'));
  for (const dir of ['workspace', 'codex-home', 'tmp']) mkdirSync(path.join(runDir, dir));
  let launch: CodexLaunch | undefined;
  try {
    launch = sandboxedLaunch({
      containment: {
        kind: 'bwrap',
        gatewayUrl: 'http://127.0.0.1:8081',
        ...(options.bwrapPath === undefined ? {} : { bwrapPath: options.bwrapPath }),
      },
      runDir,
      codexArgs,
      runToken: 'probe',
      lang: 'C.UTF-8',
      log: options.log ?? silentLogger(),
    });
    return await exitProblem(launch.command, launch.args, launch.env, launch.cwd);
  } catch (error) {
    return (error as Error).message;
  } finally {
    launch?.close();
    rmSync(runDir, { recursive: true, force: true });
  }
}

function exitProblem(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], {
      cwd,
      env: { ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(undefined);
      const said = stderr
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('WARNING: proceeding'))
        .slice(-3)
        .join(' ');
      resolve(
        `${path.basename(command)} exited with ${code ?? signal}${said === '' ? '' : `: ${said}`}`,
      );
    });
  });
}
