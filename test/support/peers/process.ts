import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A peer program (Alertmanager, Prometheus, Zabbix…) started by a test. */
export interface PeerProcess {
  /** Process id of the program, the one {@link PeerProcess.stop} signals. */
  readonly pid: number;
  /** Everything the program wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Whether the program has exited. */
  exited(): boolean;
  /** Sends SIGTERM, then SIGKILL after `graceMs`, and resolves once the program has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Throws unless `binary` exists and is executable (or, with `executable` false, readable),
 * naming the Debian package to install. Peer tests fail (never skip) when a program is missing.
 *
 * @example
 * ```ts
 * requireBinary('/usr/bin/prometheus', 'prometheus');
 * ```
 */
export function requireBinary(binary: string, debianPackage: string, executable = true): void {
  try {
    accessSync(binary, executable ? constants.X_OK : constants.R_OK);
  } catch {
    throw new Error(
      `${binary} not found: install ${debianPackage} (apt-get install -y ${debianPackage})`,
    );
  }
}

/**
 * Spawns `command` and keeps its output for error messages.
 *
 * @example
 * ```ts
 * const peer = startPeerProcess('/usr/bin/prometheus', ['--version']);
 * await peer.stop();
 * ```
 */
export function startPeerProcess(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): PeerProcess {
  const child: ChildProcess = spawn(command, args, {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-64_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let hasExited = false;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      hasExited = true;
      resolve();
    });
    child.on('error', (error) => {
      output += `\nspawn failed: ${error.message}`;
      hasExited = true;
      resolve();
    });
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${command}`);
  }
  const pid = child.pid;
  return {
    pid,
    output: () => output,
    exited: () => hasExited,
    async stop(graceMs = 10_000) {
      if (hasExited) return;
      signal(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (!hasExited) signal(pid, 'SIGKILL');
      }, graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Signals `pid`, ignoring a process that has just exited. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Thrown from a {@link pollUntil} check to stop polling at once (say, the peer exited). */
export class StopPolling extends Error {
  override name = 'StopPolling';
}

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined, or throws
 * after `timeoutMs` with `what` and the last error in the message. An error thrown by
 * `check` counts as "not yet", except {@link StopPolling}, which ends the wait.
 *
 * @example
 * ```ts
 * const port = await pollUntil('a free port', () => freePort());
 * ```
 */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof StopPolling) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until `url` answers 2xx. Fails at once, with the program's output, if `peer` exits,
 * and after `timeoutMs` with the tail of its output.
 *
 * @example
 * ```ts
 * await waitForHttpReady(`${url}/-/ready`, peer, 'Alertmanager');
 * ```
 */
export async function waitForHttpReady(
  url: string,
  peer: PeerProcess,
  name: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (peer.exited()) {
      throw new Error(`${name} exited before it was ready:\n${peer.output()}`);
    }
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok === true) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${name} was not ready at ${url} after ${timeoutMs} ms:\n${peer.output().slice(-4000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A free TCP port on 127.0.0.1. With `max`, one below it (Zabbix accepts 1024–32767 only).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export async function freePort(max?: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const wanted =
      max === undefined ? 0 : 20_000 + Math.floor(Math.random() * Math.max(1, max - 20_000));
    const port = await new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.unref();
      server.on('error', () => resolve(undefined));
      server.listen(wanted, '127.0.0.1', () => {
        const { port: bound } = server.address() as { port: number };
        server.close(() => resolve(bound));
      });
    });
    if (port !== undefined) return port;
  }
  throw new Error('no free TCP port found on 127.0.0.1');
}

/** A temporary directory and a function that deletes it. */
export interface TempDir {
  readonly path: string;
  remove(): void;
}

/**
 * Creates a directory under the OS temp dir, prefixed `akmatori-<name>-`.
 *
 * @example
 * ```ts
 * const dir = makeTempDir('alertmanager');
 * dir.remove();
 * ```
 */
export function makeTempDir(name: string): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), `akmatori-${name}-`));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
