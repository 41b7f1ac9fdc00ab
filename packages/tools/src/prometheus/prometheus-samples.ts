import { labelText } from './http-api-tool.js';
import { isoTime } from './prometheus-time.js';

/** A sample as the API sends it: `[unix seconds, "value"]`. */
export type RawSample = readonly [number, string];

/** One series of an instant vector. */
export interface RawVectorSeries {
  readonly metric: Record<string, string>;
  readonly value?: RawSample;
  readonly histogram?: unknown;
}

/** One series of a range vector (matrix). */
export interface RawMatrixSeries {
  readonly metric: Record<string, string>;
  readonly values?: readonly RawSample[];
  readonly histograms?: readonly unknown[];
}

/** A series of a matrix, summarised for a reader. */
export interface SeriesSummary {
  readonly labels: Record<string, string>;
  readonly points: number;
  readonly first?: SamplePoint;
  readonly last?: SamplePoint;
  readonly min?: SamplePoint;
  readonly max?: SamplePoint;
  readonly avg?: number;
  /** At most the requested number of points, evenly spread, first and last included. */
  readonly sample: readonly SamplePoint[];
}

/** One point: RFC 3339 time and the value. */
export interface SamplePoint {
  readonly time: string;
  readonly value: number;
}

const point = ([seconds, value]: RawSample): SamplePoint => ({
  time: isoTime(seconds),
  value: Number(value),
});

/**
 * A matrix series reduced to its count, first, last, min, max, average and up to
 * `samplePoints` evenly spread points (native histograms are counted, not summarised).
 *
 * @example
 * ```ts
 * summariseSeries({ metric: { job: 'x' }, values: [[1, '1'], [2, '3']] }, 10).avg; // 2
 * ```
 */
export function summariseSeries(series: RawMatrixSeries, samplePoints: number): SeriesSummary {
  const values = series.values ?? [];
  const points = values.map(point);
  const numbers = points.filter((p) => Number.isFinite(p.value));
  const pick = (better: (a: SamplePoint, b: SamplePoint) => boolean): SamplePoint | undefined =>
    numbers.reduce<SamplePoint | undefined>(
      (best, p) => (best === undefined || better(p, best) ? p : best),
      undefined,
    );
  const sum = numbers.reduce((total, p) => total + p.value, 0);
  return {
    labels: series.metric,
    points: values.length + (series.histograms?.length ?? 0),
    ...(points.length > 0 && { first: points[0], last: points[points.length - 1] }),
    ...(numbers.length > 0 && {
      min: pick((a, b) => a.value < b.value),
      max: pick((a, b) => a.value > b.value),
      avg: roundValue(sum / numbers.length),
    }),
    sample: spread(points, samplePoints),
  };
}

/**
 * Lines describing summarised series: one header line each, then the sampled points.
 *
 * @example
 * ```ts
 * seriesLines([summariseSeries(series, 12)]);
 * ```
 */
export function seriesLines(summaries: readonly SeriesSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    lines.push(`${labelText(s.labels)}: ${s.points} points`);
    if (s.first !== undefined && s.last !== undefined) {
      lines.push(
        `  ${s.first.time} .. ${s.last.time}; first ${s.first.value}, last ${s.last.value}` +
          (s.min === undefined || s.max === undefined
            ? ''
            : `, min ${s.min.value} (${s.min.time}), max ${s.max.value} (${s.max.time}), avg ${s.avg}`),
      );
      lines.push(
        `  sampled: ${s.sample.map((p) => `${p.time.slice(11, 19)}=${p.value}`).join(' ')}`,
      );
    }
  }
  return lines;
}

/** One line per vector series: `labels value @ time`. */
export function vectorLines(series: readonly RawVectorSeries[]): string[] {
  return series.map((s) =>
    s.value === undefined
      ? `${labelText(s.metric)} (native histogram)`
      : `${labelText(s.metric)} ${s.value[1]} @ ${isoTime(s.value[0])}`,
  );
}

/** `points` thinned to at most `count`, evenly spread, first and last kept. */
function spread(points: readonly SamplePoint[], count: number): SamplePoint[] {
  if (points.length <= count) return [...points];
  if (count <= 1) return [points[points.length - 1] as SamplePoint];
  const picked: SamplePoint[] = [];
  for (let i = 0; i < count; i++)
    picked.push(points[Math.round((i * (points.length - 1)) / (count - 1))] as SamplePoint);
  return picked;
}

function roundValue(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : value;
}
