import { stringify } from 'yaml';
import { skillFrontmatterFields, type SkillFrontmatter } from './skill-frontmatter.js';

/** What {@link renderSkill} writes: the frontmatter and the Markdown body. */
export interface SkillSource {
  readonly frontmatter: SkillFrontmatter;
  readonly body: string;
}

/**
 * Writes a SKILL.md: the frontmatter as YAML between `---` lines (fields in the
 * specification's order, values quoted wherever YAML needs it), a blank line, then the body.
 * `parseSkill(renderSkill(skill))` gives back the same frontmatter and body.
 *
 * @example
 * renderSkill({ frontmatter: { name: 'high-cpu', description: 'Use when: CPU is high' }, body: '# Steps\n' });
 * // → '---\nname: high-cpu\ndescription: "Use when: CPU is high"\n---\n\n# Steps\n'
 */
export function renderSkill(skill: SkillSource): string {
  const ordered: Record<string, unknown> = {};
  for (const field of skillFrontmatterFields) {
    const value = skill.frontmatter[field];
    if (value !== undefined) ordered[field] = value;
  }
  const yaml = stringify(ordered, { lineWidth: 0 });
  const body = skill.body.replace(/^(?:[ \t]*\r?\n)+/, '');
  return `---\n${yaml}---\n\n${body}`;
}
