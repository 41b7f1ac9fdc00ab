import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The `bwrap` (bubblewrap) executable: `explicit` when it is an executable file, else the first
 * on this machine's PATH (or `/usr/bin/bwrap`); undefined when there is none. Debian and Ubuntu
 * ship it as the package `bubblewrap`.
 *
 * @example
 * ```ts
 * findBwrap(); // '/usr/bin/bwrap'
 * ```
 */
export function findBwrap(
  explicit?: string,
  searchPath: string = process.env.PATH ?? '',
): string | undefined {
  if (explicit !== undefined) return isExecutable(explicit) ? explicit : undefined;
  const dirs = [...searchPath.split(':').filter((dir) => dir !== ''), '/usr/bin', '/bin'];
  return dirs.map((dir) => path.join(dir, 'bwrap')).find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
