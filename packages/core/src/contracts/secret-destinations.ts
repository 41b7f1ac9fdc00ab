import type { ObjectSchema, SchemaProperty } from './schema.js';

/** A setting that changed where stored secrets are sent. */
export interface DestinationChange {
  /** The setting, as a dotted path (`api_url`, `hosts.1.address`, `hosts.2` for a new item). */
  readonly field: string;
  /** The secret fields (top-level, `secret: true`) whose destination it is. */
  readonly secrets: readonly string[];
}

/**
 * Names of the secret fields some property of `schema` is marked a destination of with
 * `destinationOf`, each once, in schema order.
 *
 * @example
 * ```ts
 * destinationBoundSecrets({
 *   type: 'object',
 *   properties: {
 *     url: { type: 'string', destinationOf: ['token'] },
 *     token: { type: 'string', secret: true },
 *   },
 * }); // ['token']
 * ```
 */
export function destinationBoundSecrets(schema: ObjectSchema): string[] {
  const names = new Set<string>();
  const visit = (node: SchemaProperty | undefined): void => {
    if (node === undefined || node === null || typeof node !== 'object') return;
    if (Array.isArray(node.destinationOf))
      for (const name of node.destinationOf as unknown[]) names.add(String(name));
    for (const child of Object.values(propertiesOf(node))) visit(child);
    visit(itemsOf(node));
  };
  visit(schema as SchemaProperty);
  return [...names];
}

/**
 * The settings that send a stored secret somewhere it was not sent before: every property
 * marked `destinationOf: ['<secret>']`, reached through `properties` and array `items`.
 * The destination properties of one object (one SSH host, say) form one destination; an array
 * of objects is a set of destinations, so removing or reordering items changes nothing, while
 * adding an item or changing any destination property of one does. A property left out
 * counts as its schema `default`.
 *
 * The host uses it to insist that the secrets are entered again in the same request; see the
 * security docs ("Secrets stay where they were put").
 *
 * @example
 * ```ts
 * const schema: ObjectSchema = {
 *   type: 'object',
 *   properties: {
 *     api_url: { type: 'string', destinationOf: ['api_token'] },
 *     api_token: { type: 'string', secret: true },
 *   },
 * };
 * destinationChanges(schema, { api_url: 'https://a' }, { api_url: 'https://b' });
 * // [{ field: 'api_url', secrets: ['api_token'] }]
 * ```
 */
export function destinationChanges(
  schema: ObjectSchema,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): DestinationChange[] {
  const changes = new Map<string, Set<string>>();
  for (const secret of destinationBoundSecrets(schema)) {
    const previous = destinationsOf(schema, before, secret);
    const known = new Set(previous.map((d) => d.identity));
    for (const destination of destinationsOf(schema, after, secret)) {
      if (known.has(destination.identity)) continue;
      for (const field of changedFields(destination, previous)) {
        const secrets = changes.get(field) ?? new Set<string>();
        secrets.add(secret);
        changes.set(field, secrets);
      }
    }
  }
  return [...changes].map(([field, secrets]) => ({ field, secrets: [...secrets] }));
}

/** One destination: the destination properties of one object in the settings. */
interface Destination {
  /** Where the object is (`''` for the root, `hosts.1`). */
  readonly path: string;
  /** Where it is in the schema (`''`, `.hosts[]`). */
  readonly shape: string;
  /** The object's destination properties, defaults applied. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Where it sits in the schema plus its values, comparable across the two settings. */
  readonly identity: string;
}

function destinationsOf(
  schema: ObjectSchema,
  settings: Readonly<Record<string, unknown>>,
  secret: string,
): Destination[] {
  const found: Destination[] = [];
  const visit = (node: SchemaProperty, value: unknown, path: string[], shape: string): void => {
    const items = itemsOf(node);
    if (items !== undefined && Array.isArray(value)) {
      value.forEach((item: unknown, index) =>
        visit(items, item, [...path, String(index)], `${shape}[]`),
      );
      return;
    }
    const properties = propertiesOf(node);
    if (Object.keys(properties).length === 0 || !isObject(value)) return;
    const values: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(properties)) {
      if (marks(property, secret)) values[name] = value[name] ?? property.default ?? null;
      else visit(property, value[name], [...path, name], `${shape}.${name}`);
    }
    if (Object.keys(values).length > 0)
      found.push({
        path: path.join('.'),
        shape,
        values,
        identity: `${shape} ${canonical(values)}`,
      });
  };
  visit(schema as SchemaProperty, settings, [], '');
  return found;
}

/**
 * The fields to name for a new destination: the whole item when nothing was at its path
 * before (an added host), else those that differ from the most alike destination of the same
 * place in the schema (the one at the same index on a tie).
 */
function changedFields(destination: Destination, previous: readonly Destination[]): string[] {
  if (!previous.some((other) => other.path === destination.path))
    return [destination.path === '' ? '(root)' : destination.path];
  const differing = (other: Destination): string[] =>
    Object.keys(destination.values).filter(
      (name) => canonical(destination.values[name]) !== canonical(other.values[name]),
    );
  let closest: string[] | undefined;
  for (const other of previous) {
    if (other.shape !== destination.shape) continue;
    const fields = differing(other);
    const better =
      closest === undefined ||
      fields.length < closest.length ||
      (fields.length === closest.length && other.path === destination.path);
    if (better) closest = fields;
  }
  return (closest ?? []).map((name) =>
    destination.path === '' ? name : `${destination.path}.${name}`,
  );
}

const marks = (property: SchemaProperty, secret: string): boolean =>
  Array.isArray(property.destinationOf) && (property.destinationOf as unknown[]).includes(secret);

function propertiesOf(node: SchemaProperty): Record<string, SchemaProperty> {
  const properties = node.properties;
  return isObject(properties) ? (properties as Record<string, SchemaProperty>) : {};
}

function itemsOf(node: SchemaProperty): SchemaProperty | undefined {
  return isObject(node.items) ? (node.items as SchemaProperty) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON with object keys sorted, so equal values compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}
