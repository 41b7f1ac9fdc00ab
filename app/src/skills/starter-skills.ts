import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The starter skills shipped with the app (`app/skills`). */
export const starterSkillsDirectory: string = fileURLToPath(
  new URL('../../skills/', import.meta.url),
);

/**
 * Copies the starter skills into an empty (or missing) skills directory, so a new install has
 * useful skills from its first start. A directory that holds anything is left alone.
 * Returns the names of the skills copied.
 */
export async function seedStarterSkills(
  skillsDir: string,
  from: string = starterSkillsDirectory,
): Promise<string[]> {
  await mkdir(skillsDir, { recursive: true, mode: 0o750 });
  if ((await readdir(skillsDir)).length > 0) return [];
  const skills = (await readdir(from, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  for (const skill of skills) await copyTree(path.join(from, skill), path.join(skillsDir, skill));
  return skills;
}

async function copyTree(source: string, target: string): Promise<void> {
  await mkdir(target, { recursive: true, mode: 0o750 });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) await copyTree(from, to);
    else if (entry.isFile()) await copyFile(from, to);
  }
}
