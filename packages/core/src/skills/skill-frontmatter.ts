import type { ErrorObject } from 'ajv';
import { createAjv } from '../schema/ajv.js';

/**
 * The frontmatter of a SKILL.md, as the Agent Skills specification defines it.
 *
 * @example
 * const frontmatter: SkillFrontmatter = {
 *   name: 'disk-filling-up',
 *   description: 'Find what is filling a disk and how fast. Use when a disk usage alert fires.',
 *   metadata: { tools: 'ssh' },
 * };
 */
export interface SkillFrontmatter {
  /** 1–64 characters: lowercase `a-z`, `0-9` and `-`; equal to the skill's directory name. */
  readonly name: string;
  /** 1–1024 characters: what the skill does and when to use it. */
  readonly description: string;
  /** A license name or a reference to a bundled license file. */
  readonly license?: string;
  /** 1–500 characters: environment requirements (tools, network access, product). */
  readonly compatibility?: string;
  /** Free-form string keys and string values (Akmatori reads `tools`). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Space-separated pre-approved tools (experimental in the specification). */
  readonly 'allowed-tools'?: string;
}

/**
 * One thing wrong with a skill: the field it concerns (a frontmatter key, `metadata.<key>`,
 * `frontmatter`, `body` or `SKILL.md`) and a plain sentence that names the field.
 *
 * @example
 * const problem: SkillProblem = { field: 'description', message: 'description is required' };
 */
export interface SkillProblem {
  readonly field: string;
  readonly message: string;
}

/** The top-level frontmatter keys the specification allows, in the order SKILL.md files use. */
export const skillFrontmatterFields = [
  'name',
  'description',
  'license',
  'compatibility',
  'metadata',
  'allowed-tools',
] as const;

/** What a frontmatter check found, and whether a lenient loader must still skip the skill. */
export interface FrontmatterFinding extends SkillProblem {
  /** The kind of rule that failed; lenient loading decides severity from it. */
  readonly rule:
    'description-missing' | 'name-missing' | 'name-too-long' | 'name-mismatch' | 'other';
}

interface StringRule {
  readonly rule: FrontmatterFinding['rule'];
  readonly schema: Record<string, unknown>;
  readonly message: (value: string) => string;
}

const nameRules: readonly StringRule[] = [
  { rule: 'name-missing', schema: { minLength: 1 }, message: () => 'name must not be empty' },
  {
    rule: 'name-too-long',
    schema: { maxLength: 64 },
    message: (v) => `name must be at most 64 characters (it has ${[...v].length})`,
  },
  {
    rule: 'other',
    schema: { pattern: '^[a-z0-9-]*$' },
    message: (v) =>
      `name may contain only lowercase letters a-z, digits 0-9 and hyphens (${JSON.stringify(v)})`,
  },
  {
    rule: 'other',
    schema: { pattern: '^(?!-)' },
    message: (v) => `name must not start with a hyphen (${JSON.stringify(v)})`,
  },
  {
    rule: 'other',
    schema: { pattern: '^(?!.*-$)' },
    message: (v) => `name must not end with a hyphen (${JSON.stringify(v)})`,
  },
  {
    rule: 'other',
    schema: { pattern: '^(?!.*--)' },
    message: (v) => `name must not contain consecutive hyphens (${JSON.stringify(v)})`,
  },
];

const descriptionRules: readonly StringRule[] = [
  {
    rule: 'description-missing',
    schema: { pattern: '\\S' },
    message: () => 'description must not be empty',
  },
  {
    rule: 'other',
    schema: { maxLength: 1024 },
    message: (v) => `description must be at most 1024 characters (it has ${[...v].length})`,
  },
];

const compatibilityRules: readonly StringRule[] = [
  {
    rule: 'other',
    schema: { minLength: 1 },
    message: () => 'compatibility must not be empty when present',
  },
  {
    rule: 'other',
    schema: { maxLength: 500 },
    message: (v) => `compatibility must be at most 500 characters (it has ${[...v].length})`,
  },
];

const rulesByField: Readonly<Record<string, readonly StringRule[]>> = {
  name: nameRules,
  description: descriptionRules,
  compatibility: compatibilityRules,
};

const stringWithRules = (rules: readonly StringRule[]): Record<string, unknown> => ({
  type: 'string',
  allOf: rules.map((r) => r.schema),
});

const frontmatterSchema = {
  type: 'object',
  required: ['name', 'description'],
  additionalProperties: false,
  properties: {
    name: stringWithRules(nameRules),
    description: stringWithRules(descriptionRules),
    license: { type: 'string' },
    compatibility: stringWithRules(compatibilityRules),
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
    'allowed-tools': { type: 'string' },
  },
};

const validateSchema = createAjv().compile(frontmatterSchema);

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;

const allowed = skillFrontmatterFields.join(', ');

function describe(error: ErrorObject, data: Record<string, unknown>): FrontmatterFinding {
  const [field = '', key] = error.instancePath.replace(/^\//, '').split('/');
  const value = data[field];
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    const rule = missing === 'name' ? 'name-missing' : 'description-missing';
    return { field: missing, message: `${missing} is required`, rule };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return {
      field: extra,
      message: `unexpected field "${extra}" (allowed: ${allowed})`,
      rule: 'other',
    };
  }
  if (error.keyword === 'type' && field === 'metadata' && key !== undefined) {
    const got = typeName((value as Record<string, unknown>)[key]);
    return {
      field: `metadata.${key}`,
      message: `metadata value "${key}" must be a string (got ${got}); quote it`,
      rule: 'other',
    };
  }
  if (error.keyword === 'type') {
    const expected = field === 'metadata' ? 'a map of string keys to string values' : 'a string';
    const rule =
      field === 'name' ? 'name-missing' : field === 'description' ? 'description-missing' : 'other';
    return { field, message: `${field} must be ${expected} (got ${typeName(value)})`, rule };
  }
  const index = /\/allOf\/(\d+)\//.exec(error.schemaPath)?.[1];
  const stringRule = index === undefined ? undefined : rulesByField[field]?.[Number(index)];
  if (stringRule && typeof value === 'string') {
    return { field, message: stringRule.message(value), rule: stringRule.rule };
  }
  return { field, message: `${field} ${error.message ?? 'is invalid'}`, rule: 'other' };
}

/**
 * Checks parsed frontmatter against the whole Agent Skills specification, and, when the
 * directory name is known, that `name` equals it. Returns every finding, in field order.
 *
 * @example
 * checkFrontmatter({ name: 'bad--name', description: 'x' }, 'bad--name');
 * // → [{ field: 'name', message: 'name must not contain consecutive hyphens ("bad--name")', rule: 'other' }]
 */
export function checkFrontmatter(
  data: Record<string, unknown>,
  directoryName?: string,
): FrontmatterFinding[] {
  const findings = validateSchema(data)
    ? []
    : (validateSchema.errors ?? []).map((error) => describe(error, data));
  if (typeof data.name === 'string' && directoryName !== undefined && data.name !== directoryName) {
    findings.push({
      field: 'name',
      message: `name "${data.name}" must equal the skill's directory name "${directoryName}"`,
      rule: 'name-mismatch',
    });
  }
  const order = (field: string): number => {
    const at = (skillFrontmatterFields as readonly string[]).indexOf(field.split('.')[0] ?? '');
    return at === -1 ? skillFrontmatterFields.length : at;
  };
  return findings.sort((a, b) => order(a.field) - order(b.field));
}
