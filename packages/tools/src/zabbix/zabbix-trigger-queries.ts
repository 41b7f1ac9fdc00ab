import type { ZabbixClient } from './zabbix-client.js';
import { hostNames, resolveHosts } from './zabbix-host-queries.js';
import { isoTime, severityName } from './zabbix-result.js';

/** A problem as the Zabbix tools show it. */
export interface ZabbixProblem {
  readonly eventid: string;
  readonly name: string;
  readonly severity: string;
  /** Technical names of the hosts of its trigger. */
  readonly hosts: string[];
  readonly started: string | undefined;
  readonly status: 'problem' | 'resolved';
  readonly resolved_at?: string;
  readonly acknowledged: boolean;
  readonly suppressed: boolean;
  /** Operational data, when the trigger defines it. */
  readonly opdata?: string;
  /** `tag` or `tag: value`. */
  readonly tags: string[];
  readonly triggerid: string;
}

/** A trigger as the Zabbix tools show it. */
export interface ZabbixTrigger {
  readonly triggerid: string;
  /** Its name with macros expanded. */
  readonly description: string;
  readonly severity: string;
  readonly status: 'problem' | 'ok';
  readonly enabled: boolean;
  /** `unknown` when Zabbix cannot evaluate it (see `error`). */
  readonly state: 'normal' | 'unknown';
  readonly hosts: string[];
  readonly last_change: string | undefined;
  readonly url?: string;
  readonly error?: string;
}

interface RawProblem {
  eventid: string;
  objectid: string;
  clock: string;
  name: string;
  severity: string;
  acknowledged: string;
  suppressed?: string;
  r_eventid: string;
  r_clock: string;
  opdata?: string;
  tags?: { tag: string; value: string }[];
}

interface RawTrigger {
  triggerid: string;
  description: string;
  priority: string;
  value: string;
  status: string;
  state: string;
  lastchange: string;
  url?: string;
  error?: string;
  hosts?: { host: string }[];
}

/**
 * Current problems (with `recent`, also recently resolved ones), newest first, of the hosts
 * named `hosts` and at least `severityMin`. `problem.get` has no `selectHosts`, so the hosts
 * come from the problems' triggers.
 *
 * @example
 * ```ts
 * const problems = await findProblems(client, signal, { severityMin: 4, recent: false, limit: 50 });
 * ```
 */
export async function findProblems(
  client: ZabbixClient,
  signal: AbortSignal,
  query: { hosts?: string[]; severityMin?: number; recent: boolean; limit: number },
): Promise<ZabbixProblem[]> {
  const hostids =
    query.hosts !== undefined && query.hosts.length > 0
      ? (await resolveHosts(client, signal, query.hosts)).map((h) => h.hostid)
      : undefined;
  const severityMin = query.severityMin ?? 0;
  const problems = await client.call<RawProblem[]>(
    'problem.get',
    {
      output: [
        ...['eventid', 'objectid', 'clock', 'name', 'severity', 'opdata'],
        ...['acknowledged', 'suppressed', 'r_eventid', 'r_clock'],
      ],
      selectTags: ['tag', 'value'],
      recent: query.recent,
      ...(severityMin > 0 && { severities: [0, 1, 2, 3, 4, 5].filter((s) => s >= severityMin) }),
      ...(hostids !== undefined && { hostids }),
      sortfield: ['eventid'],
      sortorder: 'DESC',
      limit: query.limit,
    },
    signal,
  );
  const triggerids = [...new Set(problems.map((p) => p.objectid))];
  const triggers =
    triggerids.length === 0
      ? []
      : await client.call<RawTrigger[]>(
          'trigger.get',
          { output: ['triggerid'], triggerids, selectHosts: ['host'] },
          signal,
        );
  const hostsOf = new Map(triggers.map((t) => [t.triggerid, hostNames(t.hosts)]));
  return problems.map((p) => ({
    eventid: p.eventid,
    name: p.name,
    severity: severityName(p.severity),
    hosts: hostsOf.get(p.objectid) ?? [],
    started: isoTime(p.clock),
    status: p.r_eventid === '0' ? 'problem' : 'resolved',
    ...(isoTime(p.r_clock) !== undefined && { resolved_at: isoTime(p.r_clock) }),
    acknowledged: p.acknowledged === '1',
    suppressed: p.suppressed === '1',
    ...(p.opdata !== undefined && p.opdata !== '' && { opdata: p.opdata }),
    tags: (p.tags ?? []).map((t) => (t.value === '' ? t.tag : `${t.tag}: ${t.value}`)),
    triggerid: p.objectid,
  }));
}

/**
 * Triggers of hosts (not templates), on `host` when given, at least `minSeverity`, only
 * those in the problem state with `onlyProblems`, most recently changed first, with their
 * names' macros expanded.
 *
 * @example
 * ```ts
 * const triggers = await findTriggers(client, signal, { host: 'web-1', onlyProblems: true, limit: 100 });
 * ```
 */
export async function findTriggers(
  client: ZabbixClient,
  signal: AbortSignal,
  query: { host?: string; onlyProblems: boolean; minSeverity?: number; limit: number },
): Promise<ZabbixTrigger[]> {
  const hostids =
    query.host !== undefined && query.host !== ''
      ? (await resolveHosts(client, signal, [query.host])).map((h) => h.hostid)
      : undefined;
  const triggers = await client.call<RawTrigger[]>(
    'trigger.get',
    {
      output: [
        'triggerid',
        'description',
        'priority',
        'value',
        'status',
        'state',
        'lastchange',
        'url',
        'error',
      ],
      expandDescription: true,
      selectHosts: ['host'],
      templated: false,
      ...(hostids !== undefined && { hostids }),
      ...(query.minSeverity !== undefined && { min_severity: query.minSeverity }),
      ...(query.onlyProblems && { filter: { value: 1 } }),
      sortfield: 'lastchange',
      sortorder: 'DESC',
      limit: query.limit,
    },
    signal,
  );
  return triggers.map((t) => ({
    triggerid: t.triggerid,
    description: t.description,
    severity: severityName(t.priority),
    status: t.value === '1' ? 'problem' : 'ok',
    enabled: t.status === '0',
    state: t.state === '1' ? 'unknown' : 'normal',
    hosts: hostNames(t.hosts),
    last_change: isoTime(t.lastchange),
    ...(t.url !== undefined && t.url !== '' && { url: t.url }),
    ...(t.error !== undefined && t.error !== '' && { error: t.error }),
  }));
}
