import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoryMetric, StoryTarget } from './prometheus-spec.js';

/** The time line of a story: its history starts at `startMs` and reaches "now" at `nowMs`. */
export interface StoryClock {
  readonly startMs: number;
  readonly nowMs: number;
}

/**
 * The value of `metric` at `atMs`: a gauge moves in a straight line from `start` to `value`
 * over the history and stays at `value` after it; a counter grows by `per_second` from 0 at
 * the start of the history.
 *
 * @example
 * ```ts
 * metricValue({ name: 'x', start: 0, value: 10 }, { startMs: 0, nowMs: 1000 }, 500); // 5
 * ```
 */
export function metricValue(metric: StoryMetric, clock: StoryClock, atMs: number): number {
  if (metric.type === 'counter') {
    return Math.round(((metric.per_second ?? 0) * Math.max(0, atMs - clock.startMs)) / 1000);
  }
  const value = metric.value ?? 0;
  const start = metric.start ?? value;
  const span = clock.nowMs - clock.startMs;
  const part = span <= 0 ? 1 : Math.min(1, Math.max(0, (atMs - clock.startMs) / span));
  return start + (value - start) * part;
}

/** `{a="b",c="d"}` in the exposition format, or '' for no labels. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(
    ([name, value]) =>
      `${name}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`,
  );
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** A target's exporter on a loopback port. */
export interface StoryExporter {
  /** `127.0.0.1:PORT`, what Prometheus scrapes. */
  readonly address: string;
  /** The `/metrics` text it serves at `atMs` (a down target serves 503 instead). */
  metricsText(atMs: number): string;
  stop(): Promise<void>;
}

/**
 * Serves `target`'s metrics on a free 127.0.0.1 port, their values computed at each scrape
 * from `clock`; a target that is down answers `503`.
 *
 * @example
 * ```ts
 * const exporter = await startStoryExporter(target, { startMs, nowMs });
 * await exporter.stop();
 * ```
 */
export async function startStoryExporter(
  target: StoryTarget,
  clock: StoryClock,
): Promise<StoryExporter> {
  const families = new Map<string, StoryMetric[]>();
  for (const metric of target.metrics) {
    families.set(metric.name, [...(families.get(metric.name) ?? []), metric]);
  }
  const metricsText = (atMs: number): string =>
    [...families]
      .map(([name, metrics]) =>
        [
          `# TYPE ${name} ${metrics[0]?.type === 'counter' ? 'counter' : 'gauge'}`,
          ...metrics.map(
            (metric) =>
              `${name}${labelText(metric.labels ?? {})} ${metricValue(metric, clock, atMs)}`,
          ),
        ].join('\n'),
      )
      .join('\n')
      .concat('\n');
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
    } else if (target.down_since_minutes !== undefined) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('service unavailable\n');
    } else {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metricsText(Date.now()));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    metricsText,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
