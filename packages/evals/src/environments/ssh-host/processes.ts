import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { EvalErrors } from '../../errors.js';

/** How long the harness waits for a process it started to become ready or to exit. */
const WAIT_MS = 60_000;

/**
 * Polls `ready` every 50 ms until it is true; fails when `child` exits first or after a minute.
 *
 * @example
 * ```ts
 * await waitFor('sshd to greet', child, () => sshBanner(port));
 * ```
 */
export async function waitFor(
  what: string,
  child: ChildProcess,
  ready: () => Promise<boolean> | boolean,
): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw EvalErrors.AKM_EVAL_PEER_FAILED({
        peer: what,
        problem: `exited (${child.exitCode ?? child.signalCode}) before it was ready`,
      });
    }
    if (await ready()) return;
    if (Date.now() > deadline)
      throw EvalErrors.AKM_EVAL_PEER_TIMEOUT({ what, waitedMs: WAIT_MS, reason: '' });
    await delay(50);
  }
}

/**
 * Sends SIGTERM (SIGKILL after ten seconds) and resolves once the process has exited.
 *
 * @example
 * ```ts
 * await stopProcess(child);
 * ```
 */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Resolves once `child` has exited; SIGKILLs it if it has not after ten seconds.
 *
 * @example
 * ```ts
 * await waitForExit(child);
 * ```
 */
export async function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
