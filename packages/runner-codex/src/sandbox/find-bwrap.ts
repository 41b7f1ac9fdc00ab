import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The path of the `bwrap` (bubblewrap) executable on this machine's PATH (or `/usr/bin/bwrap`),
 * else undefined. Debian and Ubuntu ship it as the package `bubblewrap`.
 *
 * @example
 * ```ts
 * findBwrap(); // '/usr/bin/bwrap'
 * ```
 */
export function findBwrap(searchPath: string = process.env.PATH ?? ''): string | undefined {
  const dirs = [...searchPath.split(':').filter((dir) => dir !== ''), '/usr/bin', '/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'bwrap');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
