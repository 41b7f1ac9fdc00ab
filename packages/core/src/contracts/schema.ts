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

/** An object schema with no fields: for plugins that need no configuration. */
export const emptyObjectSchema: ObjectSchema = Object.freeze({
  type: 'object',
  properties: Object.freeze({}),
  additionalProperties: false,
}) as ObjectSchema;

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
