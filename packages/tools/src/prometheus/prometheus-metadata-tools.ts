import type { ToolDefinition } from '@akmatori/core';
import type { QueryParams } from './http-api-client.js';
import type { PrometheusCredentials } from './http-api-credentials.js';
import { PrometheusErrors } from './http-api-errors.js';
import {
  countOf,
  httpApiTool,
  labelText,
  limitSchema,
  optionalText,
  rowLimit,
  shownNote,
} from './http-api-tool.js';
import { prometheusGet, warningsText } from './prometheus-api.js';
import { timeSeconds } from './prometheus-time.js';

const matchSchema = (required: boolean): Record<string, unknown> => ({
  type: 'array',
  ...(required && { minItems: 1 }),
  maxItems: 20,
  items: { type: 'string', minLength: 1, maxLength: 2000 },
  description: `Series selectors (match[]), e.g. ["up{job=\\"node\\"}", "{__name__=~\\"http_.*\\"}"]${required ? '' : '; default all series'}.`,
});

const rangeProperties = {
  start: {
    type: 'string',
    description: 'Look at series present from this time: "now-1h", unix seconds or RFC 3339.',
  },
  end: {
    type: 'string',
    description: 'Look at series present until this time (default now).',
  },
} as const;

/** `match[]`, `start` and `end` parameters from the arguments (start defaulting as given). */
function selection(
  args: { match?: readonly string[]; start?: string | number; end?: string | number },
  defaultStart: string | undefined,
): QueryParams {
  const now = Date.now() / 1000;
  const start = timeSeconds(args.start ?? defaultStart, 'start', now);
  const end = timeSeconds(args.end, 'end', now);
  return {
    ...(args.match !== undefined && args.match.length > 0 && { 'match[]': args.match }),
    ...(start !== undefined && { start: String(start) }),
    ...(end !== undefined && { end: String(end) }),
  };
}

/** Arguments of `find_series`. */
export interface FindSeriesArgs {
  match: string[];
  start?: string | number;
  end?: string | number;
  limit?: number;
}

/** The series (label sets) that match selectors. */
export const findSeriesTool: ToolDefinition<PrometheusCredentials, FindSeriesArgs> = httpApiTool(
  'Prometheus',
  {
    name: 'find_series',
    description:
      'The series (full label sets) matching selectors in a time range (GET /api/v1/series), default the last hour. Use it to see which instances, jobs or label values exist for a metric before querying.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['match'],
      properties: {
        match: matchSchema(true),
        ...rangeProperties,
        limit: limitSchema(100, 1000, 'series'),
      },
    },
    async run(client, signal, args) {
      const { data, warnings } = await prometheusGet<Record<string, string>[]>(
        client,
        'api/v1/series',
        selection(args, 'now-1h'),
        signal,
      );
      const shown = data.slice(0, rowLimit(args.limit, 100, 1000));
      return {
        text:
          [
            `${countOf(data.length, 'series', 'series')}${shownNote(shown.length, data.length)}`,
            ...shown.map((labels) => labelText(labels)),
          ].join('\n') + warningsText(warnings),
        structured: { total: data.length, series: shown },
      };
    },
  },
);

/** Arguments of `get_label_names`. */
export interface LabelNamesArgs {
  match?: string[];
  start?: string | number;
  end?: string | number;
}

/** Label names, optionally of the series that match selectors. */
export const getLabelNamesTool: ToolDefinition<PrometheusCredentials, LabelNamesArgs> = httpApiTool(
  'Prometheus',
  {
    name: 'get_label_names',
    description:
      'Label names (GET /api/v1/labels), of all series or of those matching the selectors.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { match: matchSchema(false), ...rangeProperties },
    },
    async run(client, signal, args) {
      const { data, warnings } = await prometheusGet<string[]>(
        client,
        'api/v1/labels',
        selection(args, undefined),
        signal,
      );
      const shown = data.slice(0, 2000);
      return {
        text: `${countOf(data.length, 'label name')}${shownNote(shown.length, data.length)}: ${shown.join(', ')}${warningsText(warnings)}`,
        structured: { total: data.length, names: shown },
      };
    },
  },
);

/** Arguments of `get_label_values`. */
export interface LabelValuesArgs {
  label: string;
  match?: string[];
  start?: string | number;
  end?: string | number;
  limit?: number;
}

/** The values of one label. */
export const getLabelValuesTool: ToolDefinition<PrometheusCredentials, LabelValuesArgs> =
  httpApiTool('Prometheus', {
    name: 'get_label_values',
    description:
      'The values of one label (GET /api/v1/label/<name>/values), e.g. every job, or every instance of the series matching a selector. label "__name__" lists metric names.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['label'],
      properties: {
        label: {
          type: 'string',
          pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$',
          description: 'Label name, e.g. "job", "instance", or "__name__" for metric names.',
        },
        match: matchSchema(false),
        ...rangeProperties,
        limit: limitSchema(200, 5000, 'values'),
      },
    },
    async run(client, signal, args) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(String(args.label))) {
        throw PrometheusErrors.AKM_PROMETHEUS_INPUT_INVALID({
          reason: `label ${JSON.stringify(args.label)} is not a label name`,
        });
      }
      const { data, warnings } = await prometheusGet<string[]>(
        client,
        `api/v1/label/${args.label}/values`,
        selection(args, undefined),
        signal,
      );
      const shown = data.slice(0, rowLimit(args.limit, 200, 5000));
      return {
        text: `${countOf(data.length, `value of ${args.label}`, `values of ${args.label}`)}${shownNote(shown.length, data.length)}: ${shown.join(', ')}${warningsText(warnings)}`,
        structured: { total: data.length, values: shown },
      };
    },
  });

/** Arguments of `get_metric_metadata`. */
export interface MetricMetadataArgs {
  metric?: string;
  limit?: number;
}

/** Type, help and unit of metrics, as their targets expose them. */
export const getMetricMetadataTool: ToolDefinition<PrometheusCredentials, MetricMetadataArgs> =
  httpApiTool('Prometheus', {
    name: 'get_metric_metadata',
    description:
      'Metric metadata as the targets expose it (GET /api/v1/metadata): type (counter, gauge, histogram, summary), help text and unit, of one metric or of all.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        metric: {
          type: 'string',
          description: 'Exact metric name, e.g. "node_cpu_seconds_total" (default all metrics).',
        },
        limit: limitSchema(100, 1000, 'metrics'),
      },
    },
    async run(client, signal, args) {
      const limit = rowLimit(args.limit, 100, 1000);
      const metric = optionalText(args.metric);
      const { data } = await prometheusGet<
        Record<string, { type: string; help: string; unit: string }[]>
      >(
        client,
        'api/v1/metadata',
        { limit: String(limit), ...(metric !== undefined && { metric }) },
        signal,
      );
      const entries = Object.entries(data).sort(([a], [b]) => a.localeCompare(b));
      const lines = entries.map(([name, variants]) =>
        variants
          .map((v) => `${name} (${v.type}${v.unit === '' ? '' : `, ${v.unit}`}): ${v.help}`)
          .join('\n'),
      );
      return {
        text: [
          `${countOf(entries.length, 'metric')}${entries.length >= limit ? ` (the limit of ${limit}: there may be more; name a metric or raise limit)` : ''}`,
          ...lines,
        ].join('\n'),
        structured: { metadata: Object.fromEntries(entries) },
      };
    },
  });
