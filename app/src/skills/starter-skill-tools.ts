import { readdir } from 'node:fs/promises';
import type { SkillFrontmatter } from '@akmatori/core';
import type { ToolInstanceRecord } from '../tools/tool-instance-repository.js';
import type { Skill, SkillStore } from './skill-store.js';
import { starterSkillsDirectory } from './starter-skills.js';

/**
 * The tool types a skill says it needs: its frontmatter `metadata.tools`, a list of tool type
 * names separated by spaces or commas (`'prometheus alertmanager ssh'`), in lower case.
 *
 * @example
 * ```ts
 * skillToolTypes({ name: 'x', description: 'd', metadata: { tools: 'prometheus, ssh' } }); // ['prometheus', 'ssh']
 * ```
 */
export function skillToolTypes(frontmatter: SkillFrontmatter): string[] {
  return (frontmatter.metadata?.tools ?? '')
    .split(/[\s,]+/)
    .map((type) => type.trim().toLowerCase())
    .filter((type) => type !== '');
}

let shippedNames: Promise<readonly string[]> | undefined;

/**
 * The names of the starter skills the app ships (the folders of `app/skills`), read once.
 *
 * @example
 * ```ts
 * (await starterSkillNames()).includes('alertmanager-alert-triage'); // true
 * ```
 */
export function starterSkillNames(
  from: string = starterSkillsDirectory,
): Promise<readonly string[]> {
  const read = async (): Promise<readonly string[]> =>
    (await readdir(from, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  if (from !== starterSkillsDirectory) return read();
  shippedNames ??= read();
  return shippedNames;
}

/** What {@link offerToStarterSkills} reads and changes. */
export interface StarterSkillToolsDeps {
  readonly skills: Pick<SkillStore, 'list' | 'setTools'>;
  /** Every tool instance, to know the type of those already attached. */
  readonly instances: { list(): Promise<readonly ToolInstanceRecord[]> };
  /** The starter skills' names; default the ones the app ships. */
  readonly starterNames?: readonly string[];
}

/**
 * Attaches a new tool instance to the starter skills that name its type in `metadata.tools`
 * and have no instance of that type attached yet, so a new install is useful without wiring
 * each skill by hand. Skills an operator wrote, and starter skills that already have an
 * instance of the type (one the operator chose), are left alone. Returns the names of the
 * skills it was attached to.
 *
 * @example
 * ```ts
 * const attached = await offerToStarterSkills({ skills, instances }, record);
 * // ['alertmanager-alert-triage']
 * ```
 */
export async function offerToStarterSkills(
  deps: StarterSkillToolsDeps,
  instance: Pick<ToolInstanceRecord, 'id' | 'toolType'>,
): Promise<string[]> {
  const starters = new Set(deps.starterNames ?? (await starterSkillNames()));
  const typeOf = new Map((await deps.instances.list()).map((r) => [r.id, r.toolType]));
  const wanting = (skill: Skill): boolean =>
    starters.has(skill.name) &&
    skillToolTypes(skill.frontmatter).includes(instance.toolType.toLowerCase()) &&
    !skill.toolInstanceIds.some((id) => id !== instance.id && typeOf.get(id) === instance.toolType);
  const attached: string[] = [];
  for (const skill of (await deps.skills.list()).filter(wanting)) {
    if (skill.toolInstanceIds.includes(instance.id)) continue;
    await deps.skills.setTools(skill.name, [...skill.toolInstanceIds, instance.id]);
    attached.push(skill.name);
  }
  return attached;
}
