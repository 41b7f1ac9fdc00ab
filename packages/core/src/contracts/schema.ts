import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/**
 * JSON Schema as Akmatori uses it for plugin configuration, tool credentials and tool input.
 * Three annotations matter to the host: `description` (shown as help text in forms), `secret`
 * (the value is encrypted at rest, masked in every response and log line) and `destinationOf`
 * (changing the value needs the named secrets again).
 */
export interface SchemaProperty {
  /** JSON Schema type of the value. */
  type?:
    'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null' | readonly string[];
  /** Short label for forms. */
  title?: string;
  /** Help text shown next to the field. */
  description?: string;
  /** True for credentials: stored encrypted, never returned, redacted in logs. */
  secret?: boolean;
  /**
   * The secret fields (top-level, `secret: true`) this setting says where to send: a host
   * address, a port, an API URL, a pinned host key, TLS verification. Changing it through the
   * API requires those secrets again in the same request, so a stolen session cannot point a
   * stored credential at another server. Read through `properties` and array `items`.
   */
  destinationOf?: readonly string[];
  /** Default used when the value is absent. */
  default?: unknown;
  /** Allowed values. */
  enum?: readonly unknown[];
  /** Any other JSON Schema keyword (format, minimum, items, properties...). */
  [keyword: string]: unknown;
}

/** The root of a config, credential or input schema: always an object of named properties. */
export interface ObjectSchema {
  /** Always `object`. */
  type: 'object';
  /** The fields, by name. */
  properties: Readonly<Record<string, SchemaProperty>>;
  /** Names of the fields that must be present. */
  required?: readonly string[];
  /** Whether unknown fields are accepted (defaults to true in JSON Schema; set false to be strict). */
  additionalProperties?: boolean | SchemaProperty;
  /** Help text for the whole object. */
  description?: string;
  /** Any other JSON Schema keyword. */
  [keyword: string]: unknown;
}

/**
 * The TypeScript type of the values an object schema accepts, read from the schema literal
 * (json-schema-to-ts's `FromSchema`): `properties` and `required` give the fields, `type`,
 * `enum`, `const`, `items` and `anyOf` their types. A field with a `default` stays optional,
 * since the host validates settings without filling defaults. `if`/`then` and `not` are not
 * read. A schema whose literal type was lost (annotated `: ObjectSchema`) gives
 * `Record<string, unknown>`.
 *
 * @example
 * ```ts
 * const configSchema = defineSchema({
 *   type: 'object',
 *   required: ['url'],
 *   properties: { url: { type: 'string', description: 'Where to post.' } },
 * });
 * type Config = SchemaValue<typeof configSchema>; // { [x: string]: unknown; url: string }
 * ```
 */
export type SchemaValue<Schema extends ObjectSchema> = ObjectSchema extends Schema
  ? Record<string, unknown>
  : Schema extends JSONSchema
    ? FromSchema<Schema, { keepDefaultedPropertiesOptional: true }>
    : Record<string, unknown>;

/**
 * Declares a config, credential or input schema, keeping its literal type so that
 * {@link SchemaValue} and the `define*` helpers can read the value's type from it, and
 * freezing it (deeply) so no one changes it after registration. Writing the literal inline
 * in `defineAlertAdapter`/`defineToolProvider`/`defineNotifier` has the same effect; use this
 * for a schema kept in its own constant.
 *
 * @example
 * ```ts
 * export const uptimeConfigSchema = defineSchema({
 *   type: 'object',
 *   additionalProperties: false,
 *   properties: { region: { type: 'string', description: 'Region the checks run from.' } },
 * });
 * ```
 */
export function defineSchema<const Schema extends ObjectSchema>(schema: Schema): Schema {
  return deepFreeze(schema);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** An object schema with no fields: for plugins that need no configuration. */
export const emptyObjectSchema = defineSchema({
  type: 'object',
  properties: {},
  additionalProperties: false,
});

/**
 * Names of the top-level properties a schema marks `secret: true`.
 *
 * @example
 * ```ts
 * secretFields({ type: 'object', properties: { token: { type: 'string', secret: true } } }); // ['token']
 * ```
 */
export function secretFields(schema: ObjectSchema): string[] {
  return Object.entries(schema.properties)
    .filter(([, property]) => property.secret === true)
    .map(([name]) => name);
}
