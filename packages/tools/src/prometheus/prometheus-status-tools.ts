import { emptyObjectSchema, type ToolDefinition } from '@akmatori/core';
import type { PrometheusCredentials } from './http-api-credentials.js';
import {
  countOf,
  httpApiTool,
  labelText,
  limitSchema,
  optionalText,
  rowLimit,
  shownNote,
} from './http-api-tool.js';
import { prometheusGet } from './prometheus-api.js';

interface RawAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

const contains = (text: string | undefined, part: string | undefined): boolean =>
  part === undefined || (text ?? '').toLowerCase().includes(part.toLowerCase());

/** Arguments of `get_alerts`. */
export interface GetAlertsArgs {
  state?: 'firing' | 'pending';
  alertname?: string;
  limit?: number;
}

/** Prometheus's active alerts (pending and firing), from its alerting rules. */
export const getAlertsTool: ToolDefinition<PrometheusCredentials, GetAlertsArgs> = httpApiTool(
  'Prometheus',
  {
    name: 'get_alerts',
    description:
      "The alerts Prometheus's alerting rules hold active now (GET /api/v1/alerts): firing, or pending (matching but not yet for the rule's `for` duration), with labels, annotations, value and since when.",
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        state: {
          type: 'string',
          enum: ['firing', 'pending'],
          description: 'Only alerts in this state (default both).',
        },
        alertname: {
          type: 'string',
          description: 'Only alerts whose alertname contains this text (case-insensitive).',
        },
        limit: limitSchema(100, 1000, 'alerts'),
      },
    },
    async run(client, signal, args) {
      const { data } = await prometheusGet<{ alerts: RawAlert[] }>(
        client,
        'api/v1/alerts',
        {},
        signal,
      );
      const matching = data.alerts.filter(
        (a) =>
          (args.state === undefined || a.state === args.state) &&
          contains(a.labels.alertname, optionalText(args.alertname)),
      );
      const shown = matching.slice(0, rowLimit(args.limit, 100, 1000));
      const lines = shown.map((a) => {
        const summary = a.annotations?.summary ?? a.annotations?.description;
        return `[${a.state}] ${labelText(a.labels, 'alertname')} value ${a.value ?? '?'} since ${a.activeAt ?? '?'}${summary === undefined ? '' : `: ${summary}`}`;
      });
      return {
        text: [
          `${countOf(matching.length, 'active alert')}${shownNote(shown.length, matching.length)}`,
          ...lines,
        ].join('\n'),
        structured: { total: matching.length, alerts: shown },
      };
    },
  },
);

interface RawTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: string;
  scrapeInterval?: string;
}

/** Arguments of `get_targets`. */
export interface GetTargetsArgs {
  state?: 'active' | 'dropped';
  health?: 'up' | 'down' | 'unknown';
  job?: string;
  limit?: number;
}

/** Scrape targets with their health and last error. */
export const getTargetsTool: ToolDefinition<PrometheusCredentials, GetTargetsArgs> = httpApiTool(
  'Prometheus',
  {
    name: 'get_targets',
    description:
      'Scrape targets (GET /api/v1/targets): for active targets their job, instance, URL, health (up/down/unknown), last scrape time and duration and last error; dropped targets (removed by relabelling) with their discovered labels. Use it when series are missing or `up` is 0.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        state: {
          type: 'string',
          enum: ['active', 'dropped'],
          description: 'Active targets (default) or dropped ones.',
        },
        health: {
          type: 'string',
          enum: ['up', 'down', 'unknown'],
          description: 'Only active targets of this health, e.g. "down".',
        },
        job: {
          type: 'string',
          description: 'Only targets whose scrape pool (job) contains this text.',
        },
        limit: limitSchema(100, 1000, 'targets'),
      },
    },
    async run(client, signal, args) {
      const state = args.state ?? 'active';
      const { data } = await prometheusGet<{
        activeTargets?: RawTarget[];
        droppedTargets?: { discoveredLabels: Record<string, string> }[];
      }>(client, 'api/v1/targets', { state }, signal);
      const limit = rowLimit(args.limit, 100, 1000);
      const job = optionalText(args.job);
      if (state === 'dropped') {
        const dropped = (data.droppedTargets ?? []).filter((t) =>
          contains(t.discoveredLabels.job, job),
        );
        const shown = dropped.slice(0, limit);
        return {
          text: [
            `${countOf(dropped.length, 'dropped target')}${shownNote(shown.length, dropped.length)}`,
            ...shown.map((t) => labelText(t.discoveredLabels)),
          ].join('\n'),
          structured: { total: dropped.length, targets: shown },
        };
      }
      const active = (data.activeTargets ?? []).filter(
        (t) =>
          contains(t.scrapePool, job) && (args.health === undefined || t.health === args.health),
      );
      const shown = active.slice(0, limit);
      const byHealth = new Map<string, number>();
      for (const t of active) byHealth.set(t.health, (byHealth.get(t.health) ?? 0) + 1);
      const counts = [...byHealth].map(([health, n]) => `${n} ${health}`).join(', ');
      const lines = shown.map(
        (t) =>
          `[${t.health}] ${t.scrapePool} ${t.labels.instance ?? ''} ${t.scrapeUrl} last scrape ${t.lastScrape} (${t.lastScrapeDuration.toFixed(3)} s)${t.lastError === '' ? '' : ` error: ${t.lastError}`}`,
      );
      return {
        text: [
          `${countOf(active.length, 'active target')}${counts === '' ? '' : ` (${counts})`}${shownNote(shown.length, active.length)}`,
          ...lines,
        ].join('\n'),
        structured: {
          total: active.length,
          targets: shown.map((t) => ({
            job: t.scrapePool,
            instance: t.labels.instance,
            scrapeUrl: t.scrapeUrl,
            health: t.health,
            lastScrape: t.lastScrape,
            lastScrapeDuration: t.lastScrapeDuration,
            lastError: t.lastError,
            labels: t.labels,
          })),
        },
      };
    },
  },
);

interface RawRule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  duration?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  alerts?: RawAlert[];
  state?: string;
  health: string;
  lastError?: string;
  lastEvaluation?: string;
  evaluationTime?: number;
}

interface RawGroup {
  name: string;
  file: string;
  interval: number;
  rules: RawRule[];
}

/** Arguments of `get_rules`. */
export interface GetRulesArgs {
  type?: 'alert' | 'record';
  name?: string;
  group?: string;
  state?: 'firing' | 'pending' | 'inactive';
  unhealthy_only?: boolean;
  limit?: number;
}

/** Alerting and recording rules with their state and health. */
export const getRulesTool: ToolDefinition<PrometheusCredentials, GetRulesArgs> = httpApiTool(
  'Prometheus',
  {
    name: 'get_rules',
    description:
      'Alerting and recording rules (GET /api/v1/rules): group, expression, for duration, labels, alert state (firing/pending/inactive) with how many alerts are active, health (ok/err/unknown) and last evaluation error. Use it to find the rule behind an alert.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: {
          type: 'string',
          enum: ['alert', 'record'],
          description: 'Only alerting ("alert") or recording ("record") rules (default both).',
        },
        name: {
          type: 'string',
          description: 'Only rules whose name (alert name or recorded metric) contains this text.',
        },
        group: {
          type: 'string',
          description: 'Only rules in groups whose name contains this text.',
        },
        state: {
          type: 'string',
          enum: ['firing', 'pending', 'inactive'],
          description: 'Only alerting rules in this state.',
        },
        unhealthy_only: {
          type: 'boolean',
          description: 'Only rules whose last evaluation failed (health not ok).',
        },
        limit: limitSchema(100, 1000, 'rules'),
      },
    },
    async run(client, signal, args) {
      const { data } = await prometheusGet<{ groups: RawGroup[] }>(
        client,
        'api/v1/rules',
        args.type === undefined ? {} : { type: args.type },
        signal,
      );
      const name = optionalText(args.name);
      const group = optionalText(args.group);
      const rules = data.groups.flatMap((g) =>
        contains(g.name, group)
          ? g.rules
              .filter(
                (r) =>
                  contains(r.name, name) &&
                  (args.state === undefined || r.state === args.state) &&
                  (args.unhealthy_only !== true || r.health !== 'ok'),
              )
              .map((r) => ({ group: g.name, file: g.file, rule: r }))
          : [],
      );
      const shown = rules.slice(0, rowLimit(args.limit, 100, 1000));
      const lines = shown.map(({ group: g, rule: r }) => {
        const kind =
          r.type === 'alerting'
            ? `alerting ${r.state ?? '?'}, ${countOf(r.alerts?.length ?? 0, 'active alert')}, for ${r.duration ?? 0}s`
            : 'recording';
        const error =
          r.lastError === undefined || r.lastError === '' ? '' : ` error: ${r.lastError}`;
        return `[${kind}] ${g}/${r.name}: ${r.query} (health ${r.health}, last evaluated ${r.lastEvaluation ?? '?'})${error}`;
      });
      return {
        text: [
          `${countOf(rules.length, 'rule')}${shownNote(shown.length, rules.length)}`,
          ...lines,
        ].join('\n'),
        structured: {
          total: rules.length,
          rules: shown.map(({ group: g, file, rule: r }) => ({
            group: g,
            file,
            type: r.type,
            name: r.name,
            query: r.query,
            health: r.health,
            ...(r.lastError !== undefined && r.lastError !== '' && { lastError: r.lastError }),
            lastEvaluation: r.lastEvaluation,
            ...(r.type === 'alerting' && {
              state: r.state,
              duration: r.duration,
              activeAlerts: r.alerts?.length ?? 0,
            }),
            labels: r.labels ?? {},
            ...(r.annotations !== undefined && { annotations: r.annotations }),
          })),
        },
      };
    },
  },
);

/** Prometheus's version and runtime state: a cheap authenticated call, also the connectivity probe. */
export const getStatusTool: ToolDefinition<
  PrometheusCredentials,
  Record<string, never>
> = httpApiTool('Prometheus', {
  name: 'get_status',
  description:
    'Prometheus version and runtime state (GET /api/v1/status/buildinfo and /runtimeinfo): start time, whether the last configuration reload succeeded and when, storage retention. Use it to check that monitoring itself is healthy.',
  inputSchema: emptyObjectSchema,
  async run(client, signal) {
    // Prometheus-compatible servers (Thanos, Mimir, VictoriaMetrics) may lack one of the two:
    // what one answers is enough; when neither answers, the first error says why.
    const [build, runtime] = await Promise.allSettled(
      ['api/v1/status/buildinfo', 'api/v1/status/runtimeinfo'].map(async (path) =>
        prometheusGet<Record<string, unknown>>(client, path, {}, signal).then((a) => a.data),
      ),
    );
    if (build?.status !== 'fulfilled' && runtime?.status !== 'fulfilled')
      throw (build as PromiseRejectedResult).reason;
    const info = build?.status === 'fulfilled' ? build.value : {};
    const state = runtime?.status === 'fulfilled' ? runtime.value : undefined;
    const version = typeof info.version === 'string' ? info.version : '(version not reported)';
    const runtimeText =
      state === undefined
        ? 'no runtime information (/api/v1/status/runtimeinfo did not answer)'
        : `started ${String(state.startTime)}; last configuration reload ${state.reloadConfigSuccess === false ? 'FAILED' : 'succeeded'} (${String(state.lastConfigTime)}); retention ${String(state.storageRetention)}`;
    return {
      text: `Prometheus ${version} at ${client.where}, ${runtimeText}`,
      structured: {
        version: info.version,
        revision: info.revision,
        ...(state !== undefined && {
          startTime: state.startTime,
          reloadConfigSuccess: state.reloadConfigSuccess,
          lastConfigTime: state.lastConfigTime,
          storageRetention: state.storageRetention,
          corruptionCount: state.corruptionCount,
        }),
      },
    };
  },
});
