import {
  defineToolProvider,
  emptyObjectSchema,
  type ToolDefinition,
  type ToolProvider,
} from '@akmatori/core';
import type { HttpApiClient, QueryParams } from './http-api-client.js';
import {
  alertmanagerCredentialSchema,
  type AlertmanagerCredentials,
} from './http-api-credentials.js';
import {
  countOf,
  httpApiTool,
  labelText,
  limitSchema,
  optionalText,
  rowLimit,
  shownNote,
} from './http-api-tool.js';

interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

interface GettableSilence {
  id: string;
  status: { state: string };
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  createdBy: string;
  comment: string;
}

const filterSchema = {
  type: 'array',
  maxItems: 20,
  items: { type: 'string', minLength: 1, maxLength: 1000 },
  description:
    'Label matchers that must all match, as amtool writes them: ["alertname=\\"DiskFull\\"", "severity=~\\"critical|page\\"", "instance!=\\"db-1\\""].',
} as const;

const alertFilterProperties = {
  filter: filterSchema,
  receiver: {
    type: 'string',
    description: 'Only alerts routed to receivers matching this regular expression.',
  },
  active: {
    type: 'boolean',
    description: 'Include active (not suppressed) alerts (default true).',
  },
  silenced: { type: 'boolean', description: 'Include silenced alerts (default true).' },
  inhibited: { type: 'boolean', description: 'Include inhibited alerts (default true).' },
} as const;

/** Arguments of the alert-listing Alertmanager tools. */
export interface AlertFilterArgs {
  filter?: string[];
  receiver?: string;
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  limit?: number;
}

function alertParams(args: AlertFilterArgs): QueryParams {
  const flag = (value: boolean | undefined): string => String(value !== false);
  const receiver = optionalText(args.receiver);
  return {
    active: flag(args.active),
    silenced: flag(args.silenced),
    inhibited: flag(args.inhibited),
    ...(args.filter !== undefined && args.filter.length > 0 && { filter: args.filter }),
    ...(receiver !== undefined && { receiver }),
  };
}

function alertLine(alert: GettableAlert): string {
  const { state, silencedBy, inhibitedBy } = alert.status;
  const why = [
    silencedBy.length > 0 ? `silenced by ${silencedBy.join(', ')}` : '',
    inhibitedBy.length > 0 ? `inhibited by ${inhibitedBy.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const summary = alert.annotations.summary ?? alert.annotations.description;
  return `[${state}${why === '' ? '' : `: ${why}`}] ${labelText(alert.labels, 'alertname')} since ${alert.startsAt} fingerprint ${alert.fingerprint} → ${alert.receivers.map((r) => r.name).join(', ')}${summary === undefined ? '' : `: ${summary}`}`;
}

async function alertsOf(
  client: HttpApiClient,
  path: string,
  args: AlertFilterArgs,
  signal: AbortSignal,
): Promise<unknown> {
  return client.getJson(path, alertParams(args), signal);
}

/** Alerts Alertmanager holds: active, silenced and inhibited. */
export const amGetAlertsTool: ToolDefinition<AlertmanagerCredentials, AlertFilterArgs> =
  httpApiTool('Alertmanager', {
    name: 'get_alerts',
    description:
      'Alerts Alertmanager holds now (GET /api/v2/alerts): labels, annotations, since when, receivers, and state: active, or suppressed with the silences (silencedBy) or alerts (inhibitedBy) that suppress it. Filter with label matchers.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { ...alertFilterProperties, limit: limitSchema(100, 1000, 'alerts') },
    },
    async run(client, signal, args) {
      const alerts = (await alertsOf(client, 'api/v2/alerts', args, signal)) as GettableAlert[];
      const shown = alerts.slice(0, rowLimit(args.limit, 100, 1000));
      const suppressed = alerts.filter((a) => a.status.state === 'suppressed').length;
      return {
        text: [
          `${countOf(alerts.length, 'alert')} (${suppressed} suppressed)${shownNote(shown.length, alerts.length)}`,
          ...shown.map(alertLine),
        ].join('\n'),
        structured: { total: alerts.length, alerts: shown },
      };
    },
  });

/** Alerts as Alertmanager grouped them for notification. */
export const amGetAlertGroupsTool: ToolDefinition<AlertmanagerCredentials, AlertFilterArgs> =
  httpApiTool('Alertmanager', {
    name: 'get_alert_groups',
    description:
      "Alerts as Alertmanager grouped them for notification (GET /api/v2/alerts/groups): each group's labels, receiver and alerts. Use it to see what else arrived together with an alert.",
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { ...alertFilterProperties, limit: limitSchema(50, 500, 'groups') },
    },
    async run(client, signal, args) {
      const groups = (await alertsOf(client, 'api/v2/alerts/groups', args, signal)) as {
        labels: Record<string, string>;
        receiver: { name: string };
        alerts: GettableAlert[];
      }[];
      const shown = groups.slice(0, rowLimit(args.limit, 50, 500));
      const lines = shown.flatMap((g) => [
        `group ${labelText(g.labels)} → ${g.receiver.name}: ${countOf(g.alerts.length, 'alert')}`,
        ...g.alerts.slice(0, 20).map((a) => `  ${alertLine(a)}`),
        ...(g.alerts.length > 20 ? [`  … ${g.alerts.length - 20} more`] : []),
      ]);
      return {
        text: [
          `${countOf(groups.length, 'group')}${shownNote(shown.length, groups.length)}`,
          ...lines,
        ].join('\n'),
        structured: { total: groups.length, groups: shown },
      };
    },
  });

/** Arguments of `get_silences`. */
export interface GetSilencesArgs {
  filter?: string[];
  state?: 'active' | 'pending' | 'expired' | 'all';
  limit?: number;
}

/** Silences, read-only. */
export const amGetSilencesTool: ToolDefinition<AlertmanagerCredentials, GetSilencesArgs> =
  httpApiTool('Alertmanager', {
    name: 'get_silences',
    description:
      'Silences (GET /api/v2/silences): matchers, state (active, pending, expired), start and end, who created it and the comment. Read-only: creating or expiring silences is left to people.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        filter: {
          ...filterSchema,
          description:
            'Label matchers a silence must have among its own matchers, e.g. ["alertname=\\"DiskFull\\""].',
        },
        state: {
          type: 'string',
          enum: ['active', 'pending', 'expired', 'all'],
          description: 'Only silences in this state (default active; "all" for every one).',
        },
        limit: limitSchema(100, 1000, 'silences'),
      },
    },
    async run(client, signal, args) {
      const silences = (await client.getJson(
        'api/v2/silences',
        args.filter !== undefined && args.filter.length > 0 ? { filter: args.filter } : {},
        signal,
      )) as GettableSilence[];
      const state = args.state ?? 'active';
      const matching = silences
        .filter((s) => state === 'all' || s.status.state === state)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      const shown = matching.slice(0, rowLimit(args.limit, 100, 1000));
      const matcherText = (m: Matcher): string =>
        `${m.name}${m.isEqual === false ? '!' : ''}${m.isRegex ? '=~' : '='}${JSON.stringify(m.value)}`;
      return {
        text: [
          `${countOf(matching.length, `${state === 'all' ? '' : `${state} `}silence`)}${shownNote(shown.length, matching.length)}`,
          ...shown.map(
            (s) =>
              `[${s.status.state}] ${s.id} {${s.matchers.map(matcherText).join(', ')}} ${s.startsAt} .. ${s.endsAt} by ${s.createdBy}: ${s.comment}`,
          ),
        ].join('\n'),
        structured: { total: matching.length, silences: shown },
      };
    },
  });

/** Alertmanager's version and cluster state: also the connectivity probe. */
export const amGetStatusTool: ToolDefinition<
  AlertmanagerCredentials,
  Record<string, never>
> = httpApiTool('Alertmanager', {
  name: 'get_status',
  description:
    'Alertmanager version, uptime and cluster state (GET /api/v2/status): whether its peers are in sync (a cluster not "ready" may send duplicate or missing notifications).',
  inputSchema: emptyObjectSchema,
  async run(client, signal) {
    const status = (await client.getJson('api/v2/status', {}, signal)) as {
      versionInfo?: { version?: string };
      uptime?: string;
      cluster?: { status?: string; peers?: unknown[] };
    };
    const version = status.versionInfo?.version ?? '?';
    const cluster = status.cluster?.status ?? '?';
    const peers = status.cluster?.peers?.length ?? 0;
    return {
      text: `Alertmanager ${version} at ${client.where}, up since ${status.uptime ?? '?'}; cluster ${cluster} with ${countOf(peers, 'peer')}`,
      structured: { version, uptime: status.uptime, cluster: { status: cluster, peers } },
    };
  },
});

/**
 * The `alertmanager` tool type: read-only calls to Alertmanager's API v2 (`get_alerts`,
 * `get_alert_groups`, `get_silences`, `get_status`), with a bearer token, basic auth or a
 * client certificate.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-tools', tools: [alertmanagerTools] });
 * ```
 */
export const alertmanagerTools: ToolProvider<AlertmanagerCredentials> = defineToolProvider({
  id: 'alertmanager',
  displayName: 'Alertmanager',
  credentialSchema: alertmanagerCredentialSchema,
  tools: [amGetAlertsTool, amGetAlertGroupsTool, amGetSilencesTool, amGetStatusTool],
});
