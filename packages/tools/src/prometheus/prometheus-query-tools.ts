import type { ToolDefinition } from '@akmatori/core';
import type { PrometheusCredentials } from './http-api-credentials.js';
import { PrometheusErrors } from './http-api-errors.js';
import { countOf, httpApiTool, limitSchema, rowLimit, shownNote } from './http-api-tool.js';
import { prometheusGet, warningsText } from './prometheus-api.js';
import {
  seriesLines,
  summariseSeries,
  vectorLines,
  type RawMatrixSeries,
  type RawSample,
  type RawVectorSeries,
} from './prometheus-samples.js';
import { durationSeconds, durationText, isoTime, timeSeconds } from './prometheus-time.js';

/** Most points per series a range query may ask for (Prometheus itself allows 11,000). */
export const MAX_POINTS_PER_SERIES = 1000;
/** Points per series a range query aims at when no step is given. */
const DEFAULT_POINTS = 240;
/** Most series a range query shows. */
const MAX_RANGE_SERIES = 100;

type QueryData =
  | { resultType: 'vector'; result: RawVectorSeries[] }
  | { resultType: 'matrix'; result: RawMatrixSeries[] }
  | { resultType: 'scalar' | 'string'; result: RawSample };

const querySchema = {
  type: 'string',
  minLength: 1,
  maxLength: 10_000,
  description: 'PromQL expression, e.g. rate(http_requests_total{job="api"}[5m]).',
} as const;

const timeSchema = (what: string, fallback: string): Record<string, unknown> => ({
  type: 'string',
  description: `${what}: "now", "now-1h", unix seconds or RFC 3339 (default ${fallback}).`,
});

/** Arguments of `query`. */
export interface QueryArgs {
  query: string;
  time?: string | number;
  limit?: number;
}

/** Runs an instant PromQL query. */
export const queryTool: ToolDefinition<PrometheusCredentials, QueryArgs> = httpApiTool(
  'Prometheus',
  {
    name: 'query',
    description:
      'Evaluate a PromQL expression at one instant (GET /api/v1/query): the current value of each matching series, a scalar, or a range vector like metric[5m]. Aggregate (sum by, topk, count) rather than fetching thousands of series.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['query'],
      properties: {
        query: querySchema,
        time: timeSchema('Evaluation time', 'now'),
        limit: limitSchema(50, 500, 'series'),
      },
    },
    async run(client, signal, args) {
      const now = Date.now() / 1000;
      const time = timeSeconds(args.time, 'time', now);
      const limit = rowLimit(args.limit, 50, 500);
      const { data, warnings } = await prometheusGet<QueryData>(
        client,
        'api/v1/query',
        { query: args.query, ...(time !== undefined && { time: String(time) }) },
        signal,
      );
      const warned = warningsText(warnings);
      if (data.resultType === 'scalar' || data.resultType === 'string') {
        const [at, value] = data.result;
        return {
          text: `${data.resultType} ${value} @ ${isoTime(at)}${warned}`,
          structured: { resultType: data.resultType, time: isoTime(at), value },
        };
      }
      if (data.resultType === 'matrix') return matrixResult(data.result, limit, 12, warned);
      const vector = data.result as RawVectorSeries[];
      const shown = vector.slice(0, limit);
      const header = `${countOf(vector.length, 'series', 'series')}${shownNote(shown.length, vector.length)}`;
      return {
        text: [`instant vector: ${header}`, ...vectorLines(shown)].join('\n') + warned,
        structured: {
          resultType: 'vector',
          total: vector.length,
          series: shown.map((s) => ({
            labels: s.metric,
            ...(s.value !== undefined && { time: isoTime(s.value[0]), value: s.value[1] }),
          })),
          ...(warnings.length > 0 && { warnings }),
        },
      };
    },
  },
);

/** Arguments of `query_range`. */
export interface QueryRangeArgs {
  query: string;
  start?: string | number;
  end?: string | number;
  step?: string | number;
  limit?: number;
  points_shown?: number;
}

/** Runs a PromQL range query, summarising each series. */
export const queryRangeTool: ToolDefinition<PrometheusCredentials, QueryRangeArgs> = httpApiTool(
  'Prometheus',
  {
    name: 'query_range',
    description: `Evaluate a PromQL expression over a time range (GET /api/v1/query_range). Each series is summarised: number of points, first, last, min, max (with times), average, and a few evenly spread points. At most ${MAX_POINTS_PER_SERIES} points per series: without step, one is chosen for about ${DEFAULT_POINTS} points.`,
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['query'],
      properties: {
        query: querySchema,
        start: timeSchema('Start of the range', 'now-1h'),
        end: timeSchema('End of the range', 'now'),
        step: {
          type: 'string',
          description: `Resolution: a duration ("30s", "5m") or seconds. Default: range / ${DEFAULT_POINTS}. (end - start) / step may not exceed ${MAX_POINTS_PER_SERIES}.`,
        },
        limit: limitSchema(20, MAX_RANGE_SERIES, 'series'),
        points_shown: {
          type: 'integer',
          minimum: 2,
          maximum: 60,
          default: 12,
          description:
            'How many evenly spread points of each series to show (default 12, at most 60).',
        },
      },
    },
    async run(client, signal, args) {
      const now = Math.floor(Date.now() / 1000);
      const end = timeSeconds(args.end, 'end', now) ?? now;
      const start = timeSeconds(args.start, 'start', now) ?? end - 3600;
      if (!(start < end)) {
        throw PrometheusErrors.AKM_PROMETHEUS_INPUT_INVALID({
          reason: `start (${isoTime(start)}) must be before end (${isoTime(end)})`,
        });
      }
      const step = rangeStep(args.step, end - start);
      const { data, warnings } = await prometheusGet<QueryData>(
        client,
        'api/v1/query_range',
        { query: args.query, start: String(start), end: String(end), step: String(step) },
        signal,
      );
      if (data.resultType !== 'matrix') {
        throw PrometheusErrors.AKM_PROMETHEUS_INVALID_RESPONSE({
          service: client.service,
          where: client.where,
          excerpt: `a range query answered resultType ${String(data.resultType)}`,
        });
      }
      const limit = rowLimit(args.limit, 20, MAX_RANGE_SERIES);
      const pointsShown = rowLimit(args.points_shown, 12, 60);
      const result = matrixResult(data.result, limit, pointsShown, warningsText(warnings));
      return {
        text: `range ${isoTime(start)} .. ${isoTime(end)}, step ${durationText(step)}: ${result.text}`,
        structured: { ...result.structured, start: isoTime(start), end: isoTime(end), step },
      };
    },
  },
);

/**
 * The step of a range query: the one asked for, or range / 240 (at least 1 s). Refuses a
 * step that would give more than {@link MAX_POINTS_PER_SERIES} points per series.
 */
function rangeStep(value: unknown, range: number): number {
  if (value === undefined || value === null || value === '')
    return Math.max(1, Math.ceil(range / DEFAULT_POINTS));
  const step = durationSeconds(value);
  if (step === undefined) {
    throw PrometheusErrors.AKM_PROMETHEUS_INPUT_INVALID({
      reason: `step ${JSON.stringify(value)} is not a duration: use seconds or "30s", "5m", "1h"`,
    });
  }
  const points = Math.floor(range / step) + 1;
  if (points > MAX_POINTS_PER_SERIES) {
    throw PrometheusErrors.AKM_PROMETHEUS_INPUT_INVALID({
      reason: `step ${durationText(step)} over ${durationText(range)} would give ${points} points per series, more than ${MAX_POINTS_PER_SERIES}: use a step of at least ${durationText(Math.ceil(range / (MAX_POINTS_PER_SERIES - 1)))} or a shorter range`,
    });
  }
  return step;
}

function matrixResult(
  series: readonly RawMatrixSeries[],
  limit: number,
  pointsShown: number,
  warned: string,
): { text: string; structured: Record<string, unknown> } {
  const summaries = series.slice(0, limit).map((s) => summariseSeries(s, pointsShown));
  return {
    text:
      [
        `range vector: ${countOf(series.length, 'series', 'series')}${shownNote(summaries.length, series.length)}`,
        ...seriesLines(summaries),
      ].join('\n') + warned,
    structured: { resultType: 'matrix', total: series.length, series: summaries },
  };
}
