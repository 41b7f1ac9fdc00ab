import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@akmatori/core';
import { isProcessGroupAlive } from '../process-group.js';

/** The file in a run directory naming the process group of its Codex. */
export const CODEX_PGID_FILE = 'codex.pgid';

/**
 * Cleans up after a worker that died (crash, SIGKILL, lost machine) while using `runsDir`:
 * kills the Codex process groups its runs left behind, so a lost run does not keep calling
 * the model and the tools with its still-valid token, and removes their directories. A
 * recorded process group is killed only when its leader's command line still names that run
 * directory (so a reused process id is never hit). Each worker must have its own `runsDir`.
 *
 * @example
 * ```ts
 * reapStaleRuns('/var/lib/akmatori/runs', log); // at worker start, before taking runs
 * ```
 */
export function reapStaleRuns(runsDir: string, log: Logger): number {
  if (!existsSync(runsDir)) return 0;
  let reaped = 0;
  for (const entry of readdirSync(runsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const runDir = path.join(runsDir, entry.name);
    const pgidFile = path.join(runDir, CODEX_PGID_FILE);
    if (existsSync(pgidFile)) {
      const pgid = Number(readFileSync(pgidFile, 'utf8').trim());
      if (
        Number.isSafeInteger(pgid) &&
        pgid > 1 &&
        isProcessGroupAlive(pgid) &&
        leads(pgid, runDir)
      ) {
        try {
          process.kill(-pgid, 'SIGKILL');
          log.warn(
            { pgid, run: entry.name },
            'killed the Codex of a run left by an earlier worker',
          );
        } catch {
          // gone in the meantime
        }
      }
    }
    rmSync(runDir, { recursive: true, force: true });
    reaped += 1;
  }
  return reaped;
}

/** True when process `pid`'s command line mentions `runDir` (Linux: /proc). */
function leads(pid: number, runDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(runDir);
  } catch {
    return false;
  }
}
