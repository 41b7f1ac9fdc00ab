import { readdirSync, readFileSync } from 'node:fs';

/**
 * Sends `signal` to every process of group `pgid` (a child spawned with `detached: true`
 * leads its own group). Returns false when the group no longer exists.
 *
 * @example
 * ```ts
 * signalProcessGroup(child.pid!, 'SIGTERM');
 * ```
 */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') return true;
    throw error;
  }
}

/**
 * Whether any process of group `pgid` is still alive. On Linux, zombies (exited, waiting for
 * their parent or init to reap them) do not count; elsewhere any member does.
 *
 * @example
 * ```ts
 * isProcessGroupAlive(run.pid); // false once the run stopped
 * ```
 */
export function isProcessGroupAlive(pgid: number): boolean {
  if (!signalProcessGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  try {
    return readdirSync('/proc').some((entry) => /^\d+$/.test(entry) && isLiveMember(entry, pgid));
  } catch {
    return true;
  }
}

/** Whether /proc/<pid>/stat shows a process of group `pgid` that is not a zombie. */
function isLiveMember(pid: string, pgid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "<pid> (<comm>) <state> <ppid> <pgrp> …"; comm may hold spaces and parentheses.
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(pgrp) === pgid && state !== 'Z';
}

/**
 * Stops process group `pgid`: SIGTERM now, SIGKILL after `graceMs` unless `exited` resolved
 * first, then SIGKILL for anything of the group left behind. Resolves once `exited` has
 * resolved and the group is gone (or, at worst, one second after the final SIGKILL), so with
 * the default grace of 3 s a stop takes at most about 4 s.
 *
 * @example
 * ```ts
 * await stopProcessGroup(child.pid!, closed, 3_000);
 * ```
 */
export async function stopProcessGroup(
  pgid: number,
  exited: Promise<unknown>,
  graceMs: number,
): Promise<void> {
  signalProcessGroup(pgid, 'SIGTERM');
  const timer = setTimeout(() => signalProcessGroup(pgid, 'SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
  if (!signalProcessGroup(pgid, 'SIGKILL')) return;
  const giveUp = Date.now() + 1_000;
  while (isProcessGroupAlive(pgid) && Date.now() < giveUp) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
