/**
 * The part of JSON Schema the generated forms read: what the API's tool types
 * (`credential_schema`) and alert source types (`config_schema`) use.
 */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly title?: string;
  readonly description?: string;
  /** Akmatori's secret flag (`@akmatori/core`): stored encrypted, never returned. */
  readonly secret?: boolean;
  /** JSON Schema's own write-only flag, read as a secret too. */
  readonly writeOnly?: boolean;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, SchemaNode | boolean>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly [keyword: string]: unknown;
}

/** How a field is edited. */
export type FieldKind =
  | 'text'
  | 'secret'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'choice'
  | 'object'
  | 'text-list'
  | 'object-list'
  | 'json';

/** Where a value sits in the form's value: property names and array indexes. */
export type FieldPath = readonly (string | number)[];

/** The one type a node declares, `null` aside (`["string", "null"]` is a string). */
export function typeOf(node: SchemaNode): string | undefined {
  if (typeof node.type === 'string') return node.type;
  const types = (node.type ?? []).filter((type) => type !== 'null');
  return types.length === 1 ? types[0] : undefined;
}

/** True for a value that is written but never read back: `secret`, `writeOnly` or `x-secret`. */
export function isSecret(node: SchemaNode): boolean {
  return node.secret === true || node.writeOnly === true || node['x-secret'] === true;
}

/**
 * How a field is edited, from its schema. Anything the form cannot draw as a control (no type,
 * several types, arrays of arrays) is edited as JSON text.
 *
 * @example
 * ```ts
 * fieldKind({ type: 'array', items: { type: 'string' } }); // 'text-list'
 * ```
 */
export function fieldKind(node: SchemaNode): FieldKind {
  if (node.enum !== undefined && node.enum.length > 0) return 'choice';
  const type = typeOf(node);
  if (type === 'string') return isSecret(node) ? 'secret' : 'text';
  if (type === 'number' || type === 'integer' || type === 'boolean') return type;
  if (type === 'object' && node.properties !== undefined) return 'object';
  if (type === 'array' && node.items !== undefined) {
    const items = typeOf(node.items);
    if (items === 'string' && node.items.enum === undefined) return 'text-list';
    if (items === 'object' && node.items.properties !== undefined) return 'object-list';
  }
  return 'json';
}

/** The schema node of each property (a bare `true` is read as `{}`), in declaration order. */
export function propertiesOf(node: SchemaNode): [string, SchemaNode][] {
  return Object.entries(node.properties ?? {}).map(([name, property]) => [
    name,
    typeof property === 'object' ? property : {},
  ]);
}

const WORDS: Readonly<Record<string, string>> = {
  api: 'API',
  url: 'URL',
  uri: 'URI',
  id: 'ID',
  tls: 'TLS',
  ssh: 'SSH',
  ip: 'IP',
  http: 'HTTP',
};

/**
 * The label of a field: its `title`, else its property name in words.
 *
 * @example
 * ```ts
 * fieldLabel('api_url', {}); // 'API URL'
 * ```
 */
export function fieldLabel(name: string, node: SchemaNode): string {
  if (node.title !== undefined && node.title !== '') return node.title;
  const words = name.split(/[_\-\s]+/).filter((word) => word !== '');
  return words
    .map((word, index) => {
      const known = WORDS[word.toLowerCase()];
      if (known !== undefined) return known;
      return index === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word;
    })
    .join(' ');
}

/** True when a text field takes several lines: a PEM key or certificate, or `format: textarea`. */
export function isMultiline(node: SchemaNode): boolean {
  return node.format === 'textarea' || /\bPEM\b/.test(node.description ?? '');
}

/** The form's id of a field, for labels and tests: `sf-hosts-0-name`. */
export function fieldId(prefix: string, path: FieldPath): string {
  return `${prefix}-${path.join('-')}`;
}
