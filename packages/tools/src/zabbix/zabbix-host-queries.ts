import { isAtLeast } from './zabbix-auth.js';
import type { ZabbixClient } from './zabbix-client.js';
import { ZabbixErrors } from './zabbix-errors.js';

/** A host as the Zabbix tools show it. */
export interface ZabbixHost {
  readonly hostid: string;
  /** Technical name (what `zabbix_sender -s` and trigger expressions use). */
  readonly host: string;
  /** Visible name. */
  readonly name: string;
  readonly status: 'monitored' | 'not monitored';
  readonly in_maintenance: boolean;
  readonly groups: string[];
  readonly interfaces: ZabbixHostInterface[];
}

/** One interface of a {@link ZabbixHost}, with its availability. */
export interface ZabbixHostInterface {
  readonly type: string;
  /** IP or DNS name, whichever the interface uses. */
  readonly address: string;
  readonly port: string;
  readonly main: boolean;
  readonly available: 'unknown' | 'available' | 'unavailable';
  /** The last availability error, when there is one. */
  readonly error?: string;
}

/** A host's id and names, as the other tools resolve host arguments. */
export interface ZabbixHostRef {
  readonly hostid: string;
  readonly host: string;
  readonly name: string;
}

interface RawInterface {
  type: string;
  ip: string;
  dns: string;
  useip: string;
  port: string;
  main: string;
  available?: string;
  error?: string;
}

interface RawHost extends ZabbixHostRef {
  status: string;
  maintenance_status: string;
  groups?: { name: string }[];
  hostgroups?: { name: string }[];
  interfaces?: RawInterface[];
}

const INTERFACE_TYPES: Record<string, string> = {
  '1': 'agent',
  '2': 'SNMP',
  '3': 'IPMI',
  '4': 'JMX',
};
const AVAILABILITY = ['unknown', 'available', 'unavailable'] as const;

/**
 * Hosts whose technical or visible name contains `search`, in host groups whose name contains
 * `group`, sorted by name. `host.get` with interfaces (and their availability) and groups
 * (`selectHostGroups` from 6.2 on, `selectGroups` before).
 *
 * @example
 * ```ts
 * const hosts = await findHosts(client, signal, { search: 'web', limit: 50 });
 * ```
 */
export async function findHosts(
  client: ZabbixClient,
  signal: AbortSignal,
  query: { search?: string; group?: string; limit: number },
): Promise<ZabbixHost[]> {
  const hostGroupsApi = isAtLeast(await client.version(signal), 6, 2);
  let groupids: string[] | undefined;
  if (query.group !== undefined && query.group !== '') {
    const groups = await client.call<{ groupid: string }[]>(
      'hostgroup.get',
      { output: ['groupid'], search: { name: query.group } },
      signal,
    );
    if (groups.length === 0) {
      throw ZabbixErrors.AKM_ZABBIX_NOT_FOUND({
        what: `host group name contains "${query.group}"`,
      });
    }
    groupids = groups.map((g) => g.groupid);
  }
  const search = query.search !== undefined && query.search !== '' ? query.search : undefined;
  const hosts = await client.call<RawHost[]>(
    'host.get',
    {
      output: ['hostid', 'host', 'name', 'status', 'maintenance_status'],
      selectInterfaces: ['type', 'ip', 'dns', 'useip', 'port', 'main', 'available', 'error'],
      [hostGroupsApi ? 'selectHostGroups' : 'selectGroups']: ['name'],
      ...(groupids !== undefined && { groupids }),
      ...(search !== undefined && { search: { host: search, name: search }, searchByAny: true }),
      sortfield: 'name',
      limit: query.limit,
    },
    signal,
  );
  return hosts.map(toHost);
}

function toHost(raw: RawHost): ZabbixHost {
  return {
    hostid: raw.hostid,
    host: raw.host,
    name: raw.name,
    status: raw.status === '0' ? 'monitored' : 'not monitored',
    in_maintenance: raw.maintenance_status === '1',
    groups: (raw.hostgroups ?? raw.groups ?? []).map((g) => g.name),
    interfaces: (raw.interfaces ?? []).map((i) => ({
      type: INTERFACE_TYPES[i.type] ?? i.type,
      address: i.useip === '0' ? i.dns : i.ip,
      port: i.port,
      main: i.main === '1',
      available: AVAILABILITY[Number(i.available ?? 0)] ?? 'unknown',
      ...(i.error !== undefined && i.error !== '' && { error: i.error }),
    })),
  };
}

/**
 * The hosts named `names`, by technical name or else by visible name (exact match).
 * Throws `AKM_ZABBIX_NOT_FOUND` listing the names that match no host.
 *
 * @example
 * ```ts
 * const [web] = await resolveHosts(client, signal, ['web-1']);
 * ```
 */
export async function resolveHosts(
  client: ZabbixClient,
  signal: AbortSignal,
  names: readonly string[],
): Promise<ZabbixHostRef[]> {
  const wanted = [...new Set(names)];
  const lookup = (field: 'host' | 'name', values: string[]): Promise<ZabbixHostRef[]> =>
    client.call<ZabbixHostRef[]>(
      'host.get',
      { output: ['hostid', 'host', 'name'], filter: { [field]: values } },
      signal,
    );
  const found = await lookup('host', wanted);
  const missing = wanted.filter((n) => !found.some((h) => h.host === n));
  if (missing.length > 0) {
    const byName = await lookup('name', missing);
    found.push(...byName.filter((h) => !found.some((f) => f.hostid === h.hostid)));
  }
  const unknown = wanted.filter((n) => !found.some((h) => h.host === n || h.name === n));
  if (unknown.length > 0) {
    throw ZabbixErrors.AKM_ZABBIX_NOT_FOUND({
      what: `host is named ${unknown.map((n) => `"${n}"`).join(', ')} (neither host name nor visible name; get_hosts lists them)`,
    });
  }
  return found;
}

/** The technical names of the hosts Zabbix attached with `selectHosts`. */
export function hostNames(hosts: readonly { host: string }[] | undefined): string[] {
  return (hosts ?? []).map((h) => h.host);
}
