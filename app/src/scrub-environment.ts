import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

/**
 * Removes a secret from this process's environment, where processes of the same user could
 * read it (`/proc/<pid>/environ`): it leaves `process.env` (so no child inherits it), and its
 * value is overwritten with `x` in the environment block the kernel shows, through
 * `/proc/self/mem`. Linux only; elsewhere only `process.env` is changed. Returns true when
 * the block was overwritten (or did not hold the variable).
 *
 * @example
 * ```ts
 * const token = process.env.AKMATORI_WORKER_TOKEN;
 * scrubEnvironment('AKMATORI_WORKER_TOKEN');
 * ```
 */
export function scrubEnvironment(name: string): boolean {
  delete process.env[name];
  if (process.platform !== 'linux') return false;
  let fd: number | undefined;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start with field 3, `state`;
    // env_start and env_end are fields 50 and 51 (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[47]);
    const end = Number(fields[48]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start) return false;
    fd = openSync('/proc/self/mem', 'r+');
    const block = Buffer.alloc(end - start);
    readSync(fd, block, 0, block.length, start);
    const key = Buffer.from(`${name}=`);
    let overwritten = true;
    for (let at = 0; at < block.length;) {
      const entryEnd = block.indexOf(0, at);
      const stop = entryEnd === -1 ? block.length : entryEnd;
      if (block.subarray(at, at + key.length).equals(key) && stop > at + key.length) {
        const fill = Buffer.alloc(stop - at - key.length, 'x');
        writeSync(fd, fill, 0, fill.length, start + at + key.length);
        const check = Buffer.alloc(fill.length);
        readSync(fd, check, 0, check.length, start + at + key.length);
        overwritten = overwritten && check.equals(fill);
      }
      at = stop + 1;
    }
    return overwritten;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
