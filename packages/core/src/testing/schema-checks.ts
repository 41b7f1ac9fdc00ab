import type { ObjectSchema, SchemaProperty } from '../contracts/schema.js';

/** The object schema inside a property: its own `properties`, or its array `items`'. */
function nestedObject(property: SchemaProperty): ObjectSchema | undefined {
  const items = property.items as SchemaProperty | undefined;
  const candidate = items?.type === 'object' ? items : property;
  return candidate.type === 'object' && typeof candidate.properties === 'object'
    ? (candidate as ObjectSchema)
    : undefined;
}

/**
 * What a config, credential or input schema leaves unsaid: every field (nested objects and
 * array items included) needs a `description`, which the dashboard shows as help and the
 * model reads; a `secret: true` field must be a string, the only kind the host encrypts.
 *
 * @example
 * ```ts
 * expect(schemaFieldProblems(uptimeAdapter.configSchema)).toEqual([]);
 * ```
 */
export function schemaFieldProblems(schema: ObjectSchema, prefix = ''): string[] {
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    const at = `${prefix}${name}`;
    const problems: string[] = [];
    if (typeof property.description !== 'string' || property.description.trim() === '') {
      problems.push(`${at} has no description`);
    }
    if (property.secret === true && property.type !== 'string') {
      problems.push(`${at} is secret but not a string`);
    }
    const nested = nestedObject(property);
    const inner = property.type === 'array' ? `${at}[].` : `${at}.`;
    return nested === undefined ? problems : [...problems, ...schemaFieldProblems(nested, inner)];
  });
}
