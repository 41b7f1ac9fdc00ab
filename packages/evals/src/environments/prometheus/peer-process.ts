import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { isAkmatoriError, type AkmatoriError } from '@akmatori/core';
import { EvalErrors } from '../../errors.js';

/** A program an environment started (Prometheus, Alertmanager, zabbix_server, php). */
export interface PeerProcess {
  readonly pid: number;
  /** The last 64 kB it wrote to stdout and stderr (for failure messages). */
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Throws `AKM_EVAL_PROGRAM_MISSING` unless `binary` exists and is executable (readable with
 * `executable` false), naming the Debian package that holds it.
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
    throw EvalErrors.AKM_EVAL_PROGRAM_MISSING({
      program: binary,
      install: `install ${debianPackage} (apt-get install -y ${debianPackage})`,
    });
  }
}

/**
 * Spawns `command` with `args`, keeping its output.
 *
 * @example
 * ```ts
 * const peer = startPeerProcess('/usr/bin/prometheus', ['--version']);
 * await peer.stop();
 * ```
 */
export function startPeerProcess(command: string, args: readonly string[]): PeerProcess {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
  if (child.pid === undefined)
    throw EvalErrors.AKM_EVAL_PEER_FAILED({ peer: command, problem: 'could not be started' });
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

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Thrown from a {@link pollUntil} check to stop waiting at once (the program exited):
 * `pollUntil` then throws `error`, the coded error that says why.
 */
export class StopPolling extends Error {
  override name = 'StopPolling';
  readonly error: AkmatoriError;

  constructor(error: AkmatoriError) {
    super(error.message, { cause: error });
    this.error = error;
  }
}

/**
 * True when `error` is one a {@link StopPolling} ended the wait with (`AKM_EVAL_PEER_FAILED`).
 *
 * @example
 * ```ts
 * await pollUntil(what, check).catch((error) => { if (stoppedPolling(error)) throw error; … });
 * ```
 */
export function stoppedPolling(error: unknown): boolean {
  return isAkmatoriError(error, EvalErrors.AKM_EVAL_PEER_FAILED);
}

/**
 * Calls `check` every `intervalMs` until it returns something other than undefined; throws
 * `AKM_EVAL_PEER_TIMEOUT` after `timeoutMs` naming `what` and the last error. A thrown
 * {@link StopPolling} ends it with the error it carries.
 *
 * @example
 * ```ts
 * await pollUntil('Prometheus', async () => ((await fetch(url)).ok ? true : undefined));
 * ```
 */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 60_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof StopPolling) throw error.error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw EvalErrors.AKM_EVAL_PEER_TIMEOUT(
        {
          what,
          waitedMs: timeoutMs,
          reason: lastError instanceof Error ? lastError.message : '',
        },
        { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until `url` answers 2xx, failing at once with the program's output if it exits
 * (`AKM_EVAL_PEER_FAILED`, as when it is not ready in time).
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
): Promise<void> {
  await pollUntil(`${name} at ${url}`, async () => {
    if (peer.exited())
      throw new StopPolling(
        EvalErrors.AKM_EVAL_PEER_FAILED({
          peer: name,
          problem: `exited before it was ready:\n${peer.output()}`,
        }),
      );
    const response = await fetch(url).catch(() => undefined);
    return response?.ok === true ? true : undefined;
  }).catch((error: unknown) => {
    if (stoppedPolling(error)) throw error;
    throw EvalErrors.AKM_EVAL_PEER_FAILED(
      {
        peer: name,
        problem: `was not ready: ${(error as Error).message}\n${peer.output().slice(-4000)}`,
      },
      { cause: error },
    );
  });
}

/**
 * A free TCP port on 127.0.0.1; with `max`, one below it (Zabbix takes 1024–32767 only).
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
  throw EvalErrors.AKM_EVAL_NO_FREE_PORT(max === undefined ? {} : { below: max + 1 });
}
