/** A silence Alertmanager holds. */
export interface StorySilence {
  /** Matchers as `name="value"`, `name=~"regex"`, `name!="value"`. */
  readonly matchers: readonly string[];
  readonly created_by: string;
  readonly comment: string;
  /** Started this many minutes ago (default 10). */
  readonly started_minutes_ago?: number;
  /** Ends this many minutes from now (default 120). */
  readonly ends_in_minutes?: number;
}

/** An alert posted to Alertmanager (kind `alertmanager`). */
export interface StoryAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** It started firing this many minutes ago (default 5). */
  readonly started_minutes_ago?: number;
  /** It resolved this many minutes ago (default: still firing). */
  readonly resolved_minutes_ago?: number;
}

/** The spec of kind `alertmanager`. */
export interface AlertmanagerSpec {
  /**
   * Name of the `alertmanager` tool instance when it runs inside a `prometheus` environment
   * (default `<name>-alertmanager`); a standalone one takes its environment's name.
   */
  readonly name?: string;
  readonly alerts?: readonly StoryAlert[];
  readonly silences?: readonly StorySilence[];
  /** `inhibit_rules` as in Alertmanager's configuration (`source_matchers`, `target_matchers`, `equal`). */
  readonly inhibit_rules?: readonly Readonly<Record<string, unknown>>[];
}

/** JSON Schema of a label set. */
export const labelsSchema = {
  type: 'object',
  additionalProperties: { type: 'string' },
  propertyNames: { pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
} as const;

/** JSON Schema of a tool instance name. */
export const instanceNameSchema = { type: 'string', minLength: 1, maxLength: 100 } as const;

/** JSON Schema of {@link AlertmanagerSpec}. */
export const alertmanagerSpecSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: instanceNameSchema,
    alerts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['labels'],
        properties: {
          labels: { ...labelsSchema, required: ['alertname'] },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          started_minutes_ago: { type: 'number', minimum: 0 },
          resolved_minutes_ago: { type: 'number', minimum: 0 },
        },
      },
    },
    silences: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['matchers', 'created_by', 'comment'],
        properties: {
          matchers: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*(=|!=|=~|!~)".*"$' },
          },
          created_by: { type: 'string', minLength: 1 },
          comment: { type: 'string', minLength: 1 },
          started_minutes_ago: { type: 'number', minimum: 0 },
          ends_in_minutes: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    },
    inhibit_rules: { type: 'array', items: { type: 'object' } },
  },
} as const;
