import { parseFrontmatterYaml } from './frontmatter-yaml.js';
import {
  checkFrontmatter,
  skillFrontmatterFields,
  type SkillFrontmatter,
  type SkillProblem,
} from './skill-frontmatter.js';

/** The specification recommends keeping a SKILL.md body under this many lines. */
export const skillBodyLineLimit = 500;

/**
 * How strict {@link parseSkill} is. `validate` (the default) enforces the whole specification.
 * `load` follows the client guidance: a name over 64 characters, a name that differs from the
 * directory and every other rule except a missing description or unparseable YAML become
 * warnings, so a slightly wrong skill still loads.
 */
export type SkillParseMode = 'validate' | 'load';

/** Options for {@link parseSkill}. */
export interface ParseSkillOptions {
  /** The name of the directory holding SKILL.md; `name` must equal it. */
  readonly directoryName?: string;
  /** `validate` (default) or `load`; see {@link SkillParseMode}. */
  readonly mode?: SkillParseMode;
}

/** A SKILL.md that can be used: no problems (warnings are allowed). */
export interface ValidSkill {
  readonly valid: true;
  /** The specification's fields; in `load` mode, fields of the wrong type are left out. */
  readonly frontmatter: SkillFrontmatter;
  /** The Markdown after the frontmatter, without leading blank lines. */
  readonly body: string;
  readonly problems: readonly [];
  readonly warnings: readonly SkillProblem[];
}

/** A SKILL.md with at least one problem: a validator rejects it and a loader skips it. */
export interface InvalidSkill {
  readonly valid: false;
  /** The frontmatter as written (empty when it is missing or does not parse). */
  readonly frontmatter: Readonly<Record<string, unknown>>;
  readonly body: string;
  readonly problems: readonly SkillProblem[];
  readonly warnings: readonly SkillProblem[];
}

/** The result of {@link parseSkill}; check `valid` before using `frontmatter`. */
export type ParsedSkill = ValidSkill | InvalidSkill;

interface Split {
  readonly yaml: string;
  readonly body: string;
}

function split(text: string): Split | SkillProblem {
  const normalized = text.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n');
  if (!/^---[ \t]*\n/.test(normalized)) {
    return {
      field: 'frontmatter',
      message: 'SKILL.md must start with YAML frontmatter between "---" lines',
    };
  }
  // The frontmatter is YAML only (never `---js`, which other parsers evaluate): the lines
  // between the opening "---" line and the next line that is exactly "---".
  const opening = normalized.indexOf('\n') + 1;
  const closing = /\n---[ \t]*(?:\n|$)/.exec(normalized.slice(opening - 1));
  if (closing === null) {
    return { field: 'frontmatter', message: 'frontmatter is not closed by a "---" line' };
  }
  const yamlEnd = opening - 1 + closing.index;
  return {
    yaml: normalized.slice(opening, yamlEnd + 1),
    body: normalized.slice(yamlEnd + closing[0].length).replace(/^(?:[ \t]*\n)+/, ''),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The spec's fields of a lenient-loaded skill, dropping values of the wrong type. */
function typedFrontmatter(data: Record<string, unknown>, name: string): SkillFrontmatter {
  const result: Record<string, unknown> = { name, description: data.description };
  for (const field of ['license', 'compatibility', 'allowed-tools'] as const) {
    if (typeof data[field] === 'string') result[field] = data[field];
  }
  if (isRecord(data.metadata)) {
    const entries = Object.entries(data.metadata).filter(
      (entry): entry is [string, string | number | boolean] =>
        ['string', 'number', 'boolean'].includes(typeof entry[1]),
    );
    result.metadata = Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
  }
  return result as unknown as SkillFrontmatter;
}

function bodyWarnings(body: string): SkillProblem[] {
  if (body.trim() === '') {
    return [{ field: 'body', message: 'body is empty: add the instructions an agent follows' }];
  }
  const lines = body.replace(/\n$/, '').split('\n').length;
  if (lines <= skillBodyLineLimit) return [];
  return [
    {
      field: 'body',
      message: `body has ${lines} lines; keep it under ${skillBodyLineLimit} and move detail to references/`,
    },
  ];
}

/**
 * Parses a SKILL.md and checks it against the Agent Skills specification.
 *
 * @example
 * const skill = parseSkill('---\nname: high-cpu\ndescription: Find what uses the CPU.\n---\n# Steps\n', {
 *   directoryName: 'high-cpu',
 * });
 * if (skill.valid) console.log(skill.frontmatter.name); // high-cpu
 */
export function parseSkill(text: string, options: ParseSkillOptions = {}): ParsedSkill {
  const { directoryName, mode = 'validate' } = options;
  const parts = split(text);
  if (!('yaml' in parts)) {
    return { valid: false, frontmatter: {}, body: text, problems: [parts], warnings: [] };
  }
  const { body } = parts;
  const warnings: SkillProblem[] = [];
  let data: unknown;
  try {
    const read = parseFrontmatterYaml(parts.yaml);
    data = read.data ?? {};
    for (const key of read.quotedKeys) {
      warnings.push({
        field: key,
        message: `${key} has an unquoted ": " in its value; read it as text, but quote the value so every YAML parser agrees`,
      });
    }
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]?.replace(/:$/, '') ?? 'syntax error';
    const problem = { field: 'frontmatter', message: `frontmatter is not valid YAML: ${reason}` };
    return { valid: false, frontmatter: {}, body, problems: [problem], warnings: [] };
  }
  if (!isRecord(data)) {
    const problem = {
      field: 'frontmatter',
      message: `frontmatter must be a YAML mapping of ${skillFrontmatterFields.join(', ')}`,
    };
    return { valid: false, frontmatter: {}, body, problems: [problem], warnings };
  }

  const problems: SkillProblem[] = [];
  let name = data.name;
  for (const { rule, field, message } of checkFrontmatter(data, directoryName)) {
    const lenient = mode === 'load' && rule !== 'description-missing';
    if (lenient && rule === 'name-missing' && directoryName !== undefined) {
      name = directoryName;
      warnings.push({ field, message: `${message}; using the directory name "${directoryName}"` });
    } else if (lenient && rule !== 'name-missing') {
      warnings.push({ field, message });
    } else {
      problems.push({ field, message });
    }
  }
  warnings.push(...bodyWarnings(body));
  if (problems.length > 0 || typeof name !== 'string') {
    return { valid: false, frontmatter: data, body, problems, warnings };
  }
  return { valid: true, frontmatter: typedFrontmatter(data, name), body, problems: [], warnings };
}
