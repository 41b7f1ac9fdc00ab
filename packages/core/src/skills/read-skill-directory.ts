import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSkill, type ParsedSkill, type SkillParseMode } from './parse-skill.js';

/** The file names a skill's instructions may have; the specification's is `SKILL.md`. */
export const skillFileNames = ['SKILL.md', 'skill.md'] as const;

/** The optional resource folders the specification names, and the files found in each. */
export interface SkillResources {
  /** Executable code the agent can run, relative to the skill directory. */
  readonly scripts: readonly string[];
  /** Documents the agent reads on demand. */
  readonly references: readonly string[];
  /** Templates, images and data files. */
  readonly assets: readonly string[];
}

/** A skill directory as read from disk. */
export interface SkillDirectory {
  /** The directory, as given. */
  readonly dir: string;
  /** Its last path segment, which `name` must equal. */
  readonly directoryName: string;
  /** The instructions file found (`SKILL.md` or `skill.md`), or undefined when there is none. */
  readonly file: string | undefined;
  /** Files under `scripts/`, `references/` and `assets/` (other files are allowed, not listed). */
  readonly resources: SkillResources;
  /** The parsed and checked SKILL.md; invalid with a `SKILL.md` problem when it is missing. */
  readonly skill: ParsedSkill;
}

/** Options for {@link readSkillDirectory}. */
export interface ReadSkillDirectoryOptions {
  /** `validate` (default) or `load`; see `SkillParseMode`. */
  readonly mode?: SkillParseMode;
}

/** The name of the skill file in `dir`, matched exactly (case-insensitive file systems too). */
export async function findSkillFile(dir: string): Promise<string | undefined> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  return skillFileNames.find((name) => files.has(name));
}

async function listFiles(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), {
    withFileTypes: true,
    recursive: true,
  }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

/**
 * Reads a skill directory: finds `SKILL.md` (or `skill.md`), parses and checks it with the
 * directory name, and lists the files under `scripts/`, `references/` and `assets/`.
 *
 * @example
 * const { skill, resources } = await readSkillDirectory('app/skills/high-cpu');
 * if (!skill.valid) for (const p of skill.problems) console.error(`${p.field}: ${p.message}`);
 */
export async function readSkillDirectory(
  dir: string,
  options: ReadSkillDirectoryOptions = {},
): Promise<SkillDirectory> {
  const directoryName = path.basename(path.resolve(dir));
  const [file, scripts, references, assets] = await Promise.all([
    findSkillFile(dir),
    listFiles(dir, 'scripts'),
    listFiles(dir, 'references'),
    listFiles(dir, 'assets'),
  ]);
  const resources = { scripts, references, assets };
  if (file === undefined) {
    const problem = { field: 'SKILL.md', message: `no SKILL.md in ${dir}` };
    const skill: ParsedSkill = {
      valid: false,
      frontmatter: {},
      body: '',
      problems: [problem],
      warnings: [],
    };
    return { dir, directoryName, file, resources, skill };
  }
  const text = await readFile(path.join(dir, file), 'utf8');
  const skill = parseSkill(text, { directoryName, mode: options.mode });
  return { dir, directoryName, file, resources, skill };
}
