import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The version of a skill as an eval scorecard records it: the SHA-256 of every file in the
 * skill's directory (SKILL.md, scripts/, references/, assets/ and anything else), each hashed
 * with its path relative to the directory, in path order. Dot files and folders (editors' and
 * atomic writes' temporary files) are left out. The same files give the same version on any
 * machine; an edit to any file, a rename, an added or a removed file changes it. Skills have no
 * version number of their own (the index's `content_sha256` covers SKILL.md only), so this is it.
 *
 * @example
 * ```ts
 * const version = await skillVersion('/var/lib/akmatori/skills/disk-filling-up');
 * version; // 'sha256:5f0c…' (64 hex digits)
 * ```
 */
export async function skillVersion(directory: string): Promise<string> {
  const files = await skillFiles(directory);
  const hash = createHash('sha256');
  for (const relative of files) {
    const content = await readFile(path.join(directory, ...relative.split('/')));
    hash.update(`${relative}\0${content.length}\0`);
    hash.update(content);
  }
  return `sha256:${hash.digest('hex')}`;
}

async function skillFiles(directory: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(directory, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await skillFiles(directory, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
