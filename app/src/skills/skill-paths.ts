import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { AppErrors } from '../errors.js';

/** The folders of a skill whose files the API manages, as the Agent Skills spec lays them out. */
export const resourceFolders = ['scripts', 'references', 'assets'] as const;

/**
 * Resolves a file path given by an API caller inside a skill directory, refusing anything
 * that would leave it: absolute paths, `..`, paths outside `scripts/`, `references/` and
 * `assets/`, and symbolic links (which could point anywhere).
 */
export async function resolveResourcePath(skillDir: string, relative: string): Promise<string> {
  const normalized = path.posix.normalize(relative.replaceAll('\\', '/'));
  const [folder, ...rest] = normalized.split('/');
  if (
    path.posix.isAbsolute(normalized) ||
    normalized.startsWith('..') ||
    rest.length === 0 ||
    rest.some((part) => part === '' || part === '.' || part === '..' || part.startsWith('.')) ||
    !resourceFolders.includes(folder as (typeof resourceFolders)[number])
  ) {
    throw AppErrors.AKM_SKILL_PATH_INVALID({ path: relative });
  }
  const target = path.resolve(skillDir, normalized);
  const root = await realpath(skillDir);
  if (
    !target.startsWith(`${root}${path.sep}`) &&
    !target.startsWith(`${path.resolve(skillDir)}${path.sep}`)
  ) {
    throw AppErrors.AKM_SKILL_PATH_INVALID({ path: relative });
  }
  // No link anywhere on the way: a link inside the skill could lead out of it.
  let current = path.resolve(skillDir);
  for (const part of normalized.split('/')) {
    current = path.join(current, part);
    const stat = await lstat(current).catch(() => undefined);
    if (stat === undefined) break;
    if (stat.isSymbolicLink()) throw AppErrors.AKM_SKILL_PATH_INVALID({ path: relative });
  }
  return target;
}
