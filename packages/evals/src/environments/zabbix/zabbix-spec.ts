/** A trapper item and the values it received. */
export interface ZabbixItemSpec {
  /** Item key, e.g. `vfs.fs.size[/var/lib/postgresql,pused]`. */
  readonly key: string;
  readonly name: string;
  /** `float` (default) or `unsigned`. */
  readonly value_type?: 'float' | 'unsigned';
  readonly units?: string;
  /** Its history, oldest first, the last one now. */
  readonly values?: readonly number[];
  /** Or a straight line from `start` to `value` over `points` values (default 30). */
  readonly start?: number;
  readonly value?: number;
  readonly points?: number;
  /** Seconds between two values (default 60). */
  readonly interval_seconds?: number;
}

/** Trigger severities by name. */
export const ZABBIX_PRIORITIES = [
  'not_classified',
  'information',
  'warning',
  'average',
  'high',
  'disaster',
] as const;

/** A trigger on the host's items. */
export interface ZabbixTriggerSpec {
  /** Names the trigger in facts: `<env>_event_<id>` and `<env>_trigger_<id>`. */
  readonly id: string;
  /** Its name, e.g. `Disk space is critically low on {HOST.NAME}`. */
  readonly description: string;
  /** Zabbix 6.0 syntax, e.g. `last(/db-1/vfs.fs.size[/,pused])>95`. */
  readonly expression: string;
  readonly priority: (typeof ZABBIX_PRIORITIES)[number];
  readonly url?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Whether the build waits for its problem (default true). */
  readonly fires?: boolean;
  /** Acknowledge the problem with this message (as Admin). */
  readonly acknowledge?: string;
}

/** A monitored host. */
export interface ZabbixHostSpec {
  readonly host: string;
  /** Host groups (created when missing, default `Linux servers`). */
  readonly groups?: readonly string[];
  readonly items: readonly ZabbixItemSpec[];
  readonly triggers?: readonly ZabbixTriggerSpec[];
}

/** The spec of kind `zabbix`. */
export interface ZabbixSpec {
  readonly hosts: readonly ZabbixHostSpec[];
}

/** JSON Schema of {@link ZabbixSpec}. */
export const zabbixSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['hosts'],
  properties: {
    hosts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'items'],
        properties: {
          host: { type: 'string', pattern: '^[a-zA-Z0-9_. -]+$' },
          groups: { type: 'array', items: { type: 'string', minLength: 1 } },
          items: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['key', 'name'],
              properties: {
                key: { type: 'string', minLength: 1 },
                name: { type: 'string', minLength: 1 },
                value_type: { enum: ['float', 'unsigned'] },
                units: { type: 'string' },
                values: { type: 'array', minItems: 1, items: { type: 'number' } },
                start: { type: 'number' },
                value: { type: 'number' },
                points: { type: 'integer', minimum: 2, maximum: 500 },
                interval_seconds: { type: 'integer', minimum: 1 },
              },
            },
          },
          triggers: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'description', 'expression', 'priority'],
              properties: {
                id: { type: 'string', pattern: '^[a-z0-9_]+$' },
                description: { type: 'string', minLength: 1 },
                expression: { type: 'string', minLength: 1 },
                priority: { enum: ZABBIX_PRIORITIES },
                url: { type: 'string' },
                tags: { type: 'object', additionalProperties: { type: 'string' } },
                fires: { type: 'boolean' },
                acknowledge: { type: 'string', minLength: 1 },
              },
            },
          },
        },
      },
    },
  },
} as const;

/**
 * The values an item's history holds, oldest first: `values`, or a straight line from
 * `start` to `value`.
 *
 * @example
 * ```ts
 * itemValues({ key: 'k', name: 'n', start: 0, value: 10, points: 3 }); // [0, 5, 10]
 * ```
 */
export function itemValues(item: ZabbixItemSpec): number[] {
  if (item.values !== undefined) return [...item.values];
  const value = item.value ?? 0;
  const start = item.start ?? value;
  const points = item.points ?? 30;
  return Array.from({ length: points }, (_, index) => {
    const exact = start + ((value - start) * index) / (points - 1);
    return item.value_type === 'unsigned' ? Math.round(exact) : exact;
  });
}
