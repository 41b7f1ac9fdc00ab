import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { findSkillFile, readSkillDirectory, type SkillDirectory } from './read-skill-directory.js';

/** Folders never searched for skills, as the client guidance advises. */
const skippedFolders = new Set(['node_modules']);

/** The outcome of {@link validateSkillDirectories}: every skill found, and what was wrong. */
export interface SkillValidationReport {
  /** Each skill directory found, in the order given then by name, with its checked SKILL.md. */
  readonly skills: readonly SkillDirectory[];
  /** Paths given that are neither a skill nor a folder of skills. */
  readonly missing: readonly { readonly dir: string; readonly message: string }[];
  /** True when every skill is valid and every path held at least one skill. */
  readonly valid: boolean;
}

/** Whether anything (a file or a folder) is at `target`. */
async function exists(target: string): Promise<boolean> {
  return stat(target).then(
    () => true,
    () => false,
  );
}

/** The skill directories a path stands for: itself, or its subfolders that hold a SKILL.md. */
async function skillDirectoriesIn(dir: string): Promise<string[]> {
  if ((await findSkillFile(dir)) !== undefined) return [dir];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const candidates = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !skippedFolders.has(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
  const found = await Promise.all(
    candidates.map(async (sub) => ((await findSkillFile(sub)) !== undefined ? sub : undefined)),
  );
  return found.filter((sub): sub is string => sub !== undefined);
}

/**
 * Validates skills strictly (`mode: 'validate'`), as a CI check should. Each path may be a
 * skill directory (it holds a SKILL.md) or a folder whose subfolders are skills.
 *
 * @example
 * const report = await validateSkillDirectories(['skills/']);
 * process.exitCode = report.valid ? 0 : 1;
 */
export async function validateSkillDirectories(
  dirs: readonly string[],
): Promise<SkillValidationReport> {
  const skills: SkillDirectory[] = [];
  const missing: { dir: string; message: string }[] = [];
  for (const dir of dirs) {
    if (!(await exists(dir))) {
      missing.push({ dir, message: 'does not exist' });
      continue;
    }
    const found = await skillDirectoriesIn(dir);
    if (found.length === 0) {
      missing.push({ dir, message: 'no SKILL.md here or in any subfolder' });
    }
    for (const skillDir of found) skills.push(await readSkillDirectory(skillDir));
  }
  const valid = missing.length === 0 && skills.every((s) => s.skill.valid);
  return { skills, missing, valid };
}
