import type { Draft } from './form-draft';
import { fieldKind, propertiesOf, type FieldPath, type SchemaNode } from './schema-node';

/** What is wrong with each field, by path (`hosts.0.name`). */
export type FormProblems = Readonly<Record<string, string>>;

const isBlank = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/**
 * Checks a draft against its schema, the way the API will, field by field: required fields,
 * lengths, patterns, ranges, whole numbers, URLs, list sizes and JSON text. A required secret
 * that is stored (`storedSecrets`) may stay blank: blank keeps it. Rules across fields (e.g. a
 * key or a password) are left to the API, whose answer names the field.
 *
 * @example
 * ```ts
 * formProblems(zabbixSchema, { api_url: '' }, new Set()); // { api_url: 'Required' }
 * ```
 */
export function formProblems(
  schema: SchemaNode,
  draft: Draft,
  storedSecrets: ReadonlySet<string>,
  at: FieldPath = [],
): Record<string, string> {
  const problems: Record<string, string> = {};
  const required = schema.required ?? [];
  for (const [name, node] of propertiesOf(schema)) {
    const path = [...at, name];
    const key = path.join('.');
    const value = draft[name];
    const kind = fieldKind(node);
    if (isBlank(value) && kind !== 'object') {
      const kept = kind === 'secret' && value !== null && storedSecrets.has(key);
      if (required.includes(name) && !kept) problems[key] = 'Required';
      continue;
    }
    if (kind === 'object') {
      Object.assign(problems, formProblems(node, value as Draft, storedSecrets, path));
      continue;
    }
    if (kind === 'object-list') {
      const items = value as Draft[];
      const size = listSize(node, items.length);
      if (size !== undefined) problems[key] = size;
      items.forEach((item, index) =>
        Object.assign(
          problems,
          formProblems(node.items ?? {}, item, storedSecrets, [...path, index]),
        ),
      );
      continue;
    }
    const problem = valueProblem(node, kind, value);
    if (problem !== undefined) problems[key] = problem;
  }
  return problems;
}

function listSize(node: SchemaNode, length: number): string | undefined {
  if (node.minItems !== undefined && length < node.minItems) return `Add at least ${node.minItems}`;
  if (node.maxItems !== undefined && length > node.maxItems)
    return `At most ${node.maxItems} entries`;
  return undefined;
}

function valueProblem(node: SchemaNode, kind: string, value: unknown): string | undefined {
  if (kind === 'text' || kind === 'secret') return textProblem(node, value as string);
  if (kind === 'number' || kind === 'integer') {
    const number = value as number;
    if (kind === 'integer' && !Number.isInteger(number)) return 'A whole number';
    if (node.minimum !== undefined && number < node.minimum) return `At least ${node.minimum}`;
    if (node.maximum !== undefined && number > node.maximum) return `At most ${node.maximum}`;
    return undefined;
  }
  if (kind === 'text-list') {
    const items = (value as string[]).filter((item) => item.trim() !== '');
    const size = listSize(node, items.length);
    if (size !== undefined) return size;
    const bad = items.map((item) => textProblem(node.items ?? {}, item)).find(Boolean);
    return bad === undefined ? undefined : `Each entry: ${bad.toLowerCase()}`;
  }
  if (kind === 'json') {
    try {
      JSON.parse(value as string);
      return undefined;
    } catch {
      return 'Not valid JSON';
    }
  }
  return undefined;
}

function textProblem(node: SchemaNode, text: string): string | undefined {
  if (node.minLength !== undefined && text.length < node.minLength)
    return `At least ${node.minLength} characters`;
  if (node.maxLength !== undefined && text.length > node.maxLength)
    return `At most ${node.maxLength} characters`;
  if (node.format === 'uri' && !isUrl(text)) return 'A full URL, like https://host/path';
  if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(text))
    return `Does not match the expected form (${node.pattern})`;
  return undefined;
}

function isUrl(text: string): boolean {
  try {
    return new URL(text).protocol.length > 0;
  } catch {
    return false;
  }
}
