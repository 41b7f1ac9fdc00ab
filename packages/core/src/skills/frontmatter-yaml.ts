import { parse } from 'yaml';

/** What {@link parseFrontmatterYaml} read, and which keys needed their colons quoted. */
export interface FrontmatterYaml {
  /** The parsed YAML (a mapping for any sensible SKILL.md; `null` when empty). */
  readonly data: unknown;
  /** Keys whose plain values held an unquoted `: ` and were re-read as quoted text. */
  readonly quotedKeys: readonly string[];
}

// `key: value` where the value is a plain (unquoted, not block, not flow) scalar.
const plainPair = /^(\s*)([A-Za-z0-9_][\w.-]*):[ \t]+(?!["'{[|>&*!%@`#])(.+?)[ \t]*$/;

/**
 * Quotes plain values that contain `: ` (or end in `:`), which YAML reads as a nested mapping:
 * `description: Use when: disk is full` becomes `description: "Use when: disk is full"`.
 */
function quoteColonValues(source: string): { text: string; keys: string[] } {
  const keys: string[] = [];
  const lines = source.split('\n').map((line) => {
    const match = plainPair.exec(line);
    if (!match) return line;
    const [, indent = '', key = '', value = ''] = match;
    if (!/:(\s|$)/.test(value)) return line;
    keys.push(indent === '' ? key : `metadata.${key}`);
    return `${indent}${key}: ${JSON.stringify(value)}`;
  });
  return { text: lines.join('\n'), keys };
}

/**
 * Parses a frontmatter block as YAML 1.2 (core schema: dates and `yes` stay strings,
 * duplicate keys are an error). When it fails, retries once with colon-bearing plain values
 * quoted, as the Agent Skills client guidance asks; throws the first error if that fails too.
 *
 * @example
 * parseFrontmatterYaml('name: x\ndescription: Use when: disk is full');
 * // → { data: { name: 'x', description: 'Use when: disk is full' }, quotedKeys: ['description'] }
 */
export function parseFrontmatterYaml(source: string): FrontmatterYaml {
  try {
    return { data: parse(source) as unknown, quotedKeys: [] };
  } catch (error) {
    const retry = quoteColonValues(source);
    if (retry.keys.length === 0) throw error;
    try {
      return { data: parse(retry.text) as unknown, quotedKeys: retry.keys };
    } catch {
      throw error;
    }
  }
}
