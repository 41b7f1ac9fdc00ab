import { fieldKind, propertiesOf, type FieldPath, type SchemaNode } from './schema-node';

/** What the API sends for a stored secret: `{"set": true}`. */
export function isSecretMask(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    (value as { set?: unknown }).set === true
  );
}

/** A form's working copy: every field present, secrets blank, JSON fields as text. */
export type Draft = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The draft of an object schema from a stored value (or from the defaults when there is none).
 * Stored secrets (`{"set": true}`) become blank: the form never holds a secret it did not type.
 */
export function draftOf(schema: SchemaNode, value: unknown): Draft {
  const stored = isRecord(value) ? value : {};
  const draft: Draft = {};
  for (const [name, node] of propertiesOf(schema))
    draft[name] = fieldDraft(node, stored[name], (schema.required ?? []).includes(name));
  return draft;
}

function fieldDraft(node: SchemaNode, value: unknown, required: boolean): unknown {
  const present = value !== undefined && value !== null;
  const given = present ? value : node.default;
  switch (fieldKind(node)) {
    case 'secret':
      return typeof value === 'string' ? value : '';
    case 'text':
      return typeof given === 'string' ? given : '';
    case 'number':
    case 'integer':
      return typeof given === 'number' ? given : null;
    case 'boolean':
      return typeof given === 'boolean' ? given : false;
    case 'choice':
      return given ?? null;
    case 'object':
      return draftOf(node, given);
    case 'text-list':
      return Array.isArray(given) ? given.map(String) : [];
    case 'object-list': {
      const items = Array.isArray(given) ? given : [];
      const itemSchema = node.items ?? {};
      if (items.length === 0 && required && (node.minItems ?? 0) > 0)
        return [draftOf(itemSchema, undefined)];
      return items.map((item) => draftOf(itemSchema, item));
    }
    case 'json':
      return given === undefined ? '' : JSON.stringify(given, null, 2);
  }
}

/** The paths of the secrets a stored value says are set (`{"set": true}`), as `a.0.b`. */
export function storedSecretsOf(schema: SchemaNode, value: unknown, at: FieldPath = []): string[] {
  if (!isRecord(value)) return [];
  const found: string[] = [];
  for (const [name, node] of propertiesOf(schema)) {
    const path = [...at, name];
    const kind = fieldKind(node);
    if (kind === 'secret' && isSecretMask(value[name])) found.push(path.join('.'));
    else if (kind === 'object') found.push(...storedSecretsOf(node, value[name], path));
    else if (kind === 'object-list' && Array.isArray(value[name]))
      (value[name] as unknown[]).forEach((item, index) =>
        found.push(...storedSecretsOf(node.items ?? {}, item, [...path, index])),
      );
  }
  return found;
}

/**
 * What the form sends: blank text and numbers left out (so defaults apply), blank secrets
 * left out (the API keeps a stored secret that is not sent) and removed ones `null`, lists
 * without blank entries, JSON text parsed.
 *
 * @example
 * ```ts
 * valueOf(schema, { api_url: 'https://z/api_jsonrpc.php', api_token: '' }); // { api_url: '…' }
 * ```
 */
export function valueOf(schema: SchemaNode, draft: Draft): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [name, node] of propertiesOf(schema)) {
    const field = fieldValue(node, draft[name]);
    if (field !== undefined) value[name] = field;
  }
  return value;
}

function fieldValue(node: SchemaNode, draft: unknown): unknown {
  switch (fieldKind(node)) {
    case 'secret':
      // null: the user removed the stored secret, which the API reads as "clear it".
      if (draft === null) return null;
      return typeof draft === 'string' && draft !== '' ? draft : undefined;
    case 'text':
      return typeof draft === 'string' && draft !== '' ? draft : undefined;
    case 'number':
    case 'integer':
      return typeof draft === 'number' && Number.isFinite(draft) ? draft : undefined;
    case 'boolean':
      return draft === true;
    case 'choice':
      return draft ?? undefined;
    case 'object':
      return valueOf(node, isRecord(draft) ? draft : {});
    case 'text-list':
      return (Array.isArray(draft) ? draft : [])
        .map((item) => String(item).trim())
        .filter((item) => item !== '');
    case 'object-list':
      return (Array.isArray(draft) ? draft : []).map((item) =>
        valueOf(node.items ?? {}, isRecord(item) ? item : {}),
      );
    case 'json': {
      if (typeof draft !== 'string' || draft.trim() === '') return undefined;
      try {
        return JSON.parse(draft) as unknown;
      } catch {
        return undefined;
      }
    }
  }
}
