import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EvalErrors } from '../../errors.js';
import type { StoryTarget } from './prometheus-spec.js';
import { labelText, metricValue, type StoryClock } from './story-exporter.js';

const execFileAsync = promisify(execFile);

/** Debian's `promtool` (package `prometheus`). */
export const PROMTOOL_BINARY = '/usr/bin/promtool';

/** Seconds between two samples of the written history, as a 15 s scrape would leave. */
const HISTORY_STEP_SECONDS = 15;

/**
 * The targets' history in the OpenMetrics text format, one sample every 15 s from the start
 * of `clock` to its "now": each metric with its target's `job` and `instance` labels, and `up`
 * (1, or 0 once a down target went down; its metrics stop there).
 *
 * @example
 * ```ts
 * const text = storyHistory(spec.targets, { startMs, nowMs });
 * ```
 */
export function storyHistory(targets: readonly StoryTarget[], clock: StoryClock): string {
  const times: number[] = [];
  for (let at = clock.startMs; at < clock.nowMs; at += HISTORY_STEP_SECONDS * 1000) times.push(at);
  const families = new Map<string, { type: string; lines: string[] }>();
  const add = (name: string, type: string, lines: string[]): void => {
    const family = families.get(name) ?? { type, lines: [] };
    family.lines.push(...lines);
    families.set(name, family);
  };
  for (const target of targets) {
    const own = { job: target.job, instance: target.instance };
    const downAt =
      target.down_since_minutes === undefined
        ? Number.POSITIVE_INFINITY
        : clock.nowMs - target.down_since_minutes * 60_000;
    add(
      'up',
      'gauge',
      times.map((at) => `up${labelText(own)} ${at < downAt ? 1 : 0} ${at / 1000}`),
    );
    for (const metric of target.metrics) {
      const counter = metric.type === 'counter';
      // OpenMetrics names a counter's family without `_total` and its sample with it.
      const family = counter ? metric.name.replace(/_total$/, '') : metric.name;
      const labels = labelText({ ...metric.labels, ...own });
      add(
        family,
        counter ? 'counter' : 'gauge',
        times
          .filter((at) => at < downAt)
          .map((at) => `${metric.name}${labels} ${metricValue(metric, clock, at)} ${at / 1000}`),
      );
    }
  }
  const text = [...families]
    .map(([name, family]) => [`# TYPE ${name} ${family.type}`, ...family.lines].join('\n'))
    .join('\n');
  return `${text}\n# EOF\n`;
}

/**
 * Writes the targets' history as TSDB blocks into `dataDir` (`promtool tsdb
 * create-blocks-from openmetrics`), so Prometheus started on it answers range queries over
 * the past at once.
 *
 * @example
 * ```ts
 * await writeStoryHistory(spec.targets, clock, workDir, path.join(workDir, 'data'));
 * ```
 */
export async function writeStoryHistory(
  targets: readonly StoryTarget[],
  clock: StoryClock,
  workDir: string,
  dataDir: string,
): Promise<void> {
  const input = path.join(workDir, 'history.om');
  await writeFile(input, storyHistory(targets, clock));
  try {
    await execFileAsync(PROMTOOL_BINARY, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      input,
      dataDir,
    ]);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw EvalErrors.AKM_EVAL_PEER_FAILED(
      { peer: 'promtool', problem: `could not write the history: ${stderr ?? ''}${stdout ?? ''}` },
      { cause: error },
    );
  }
}
