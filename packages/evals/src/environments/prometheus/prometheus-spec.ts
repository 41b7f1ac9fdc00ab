import {
  alertmanagerSpecSchema,
  labelsSchema,
  type AlertmanagerSpec,
} from '../alertmanager/alertmanager-spec.js';

/** One metric series an exporter serves, and its history. */
export interface StoryMetric {
  /** Metric name, e.g. `node_memory_MemAvailable_bytes` (a counter's name ends in `_total`). */
  readonly name: string;
  /** `gauge` (default) or `counter`. */
  readonly type?: 'gauge' | 'counter';
  readonly labels?: Readonly<Record<string, string>>;
  /** A gauge's value now (and from now on). */
  readonly value?: number;
  /** A gauge's value at the start of the history; it moves in a straight line to `value`. Default `value`. */
  readonly start?: number;
  /** A counter's increase per second, over the history and from now on. */
  readonly per_second?: number;
}

/** One scrape target: an exporter on loopback, shown under its `job` and `instance` labels. */
export interface StoryTarget {
  readonly job: string;
  /** The `instance` label, e.g. `web-1:9100` (the real address is a loopback port). */
  readonly instance: string;
  readonly metrics: readonly StoryMetric[];
  /** The target went down this many minutes ago: its exporter answers 503, `up` is 0 since then. */
  readonly down_since_minutes?: number;
}

/** An alerting rule, as written in a Prometheus rule file. */
export interface StoryAlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Whether the build waits until it fires (default true). */
  readonly fires?: boolean;
}

/** The spec of kind `prometheus`. */
export interface PrometheusSpec {
  /** How much history the TSDB holds before the build (default 60 minutes, at most 1440). */
  readonly history_minutes?: number;
  readonly targets: readonly StoryTarget[];
  readonly rules?: readonly StoryAlertingRule[];
  /** Also run an Alertmanager that receives the rules' alerts (an `alertmanager` tool instance). */
  readonly alertmanager?: AlertmanagerSpec;
}

/** JSON Schema of {@link PrometheusSpec}. */
export const prometheusSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['targets'],
  properties: {
    history_minutes: { type: 'integer', minimum: 1, maximum: 1440 },
    targets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['job', 'instance', 'metrics'],
        properties: {
          job: { type: 'string', pattern: '^[a-zA-Z0-9_.-]+$' },
          instance: { type: 'string', minLength: 1 },
          down_since_minutes: { type: 'number', minimum: 0 },
          metrics: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name'],
              properties: {
                name: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
                type: { enum: ['gauge', 'counter'] },
                labels: labelsSchema,
                value: { type: 'number' },
                start: { type: 'number' },
                per_second: { type: 'number', minimum: 0 },
              },
            },
          },
        },
      },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['alert', 'expr'],
        properties: {
          alert: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
          expr: { type: 'string', minLength: 1 },
          for: { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$' },
          labels: labelsSchema,
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          fires: { type: 'boolean' },
        },
      },
    },
    alertmanager: alertmanagerSpecSchema,
  },
} as const;
