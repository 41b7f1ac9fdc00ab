import type { ZabbixClient } from './zabbix-client.js';
import { ZabbixErrors } from './zabbix-errors.js';
import { resolveHosts } from './zabbix-host-queries.js';
import { isoTime } from './zabbix-result.js';

/** An item with its latest value, as the Zabbix tools show it. */
export interface ZabbixItem {
  readonly itemid: string;
  /** Technical name of its host. */
  readonly host: string;
  readonly name: string;
  readonly key: string;
  readonly value_type: string;
  readonly units: string;
  readonly enabled: boolean;
  readonly supported: boolean;
  /** Absent until the item got a value. */
  readonly last_value?: string;
  readonly last_time?: string;
  /** Why the item is not supported, when it is not. */
  readonly error?: string;
}

/** What {@link findHistory} returns: the items read and their values, newest first. */
export interface ZabbixHistory {
  readonly items: ZabbixItem[];
  readonly values: { itemid: string; time: string | undefined; value: string }[];
}

interface RawItem {
  itemid: string;
  name: string;
  key_: string;
  value_type: string;
  units: string;
  status: string;
  state: string;
  error: string;
  lastvalue?: string;
  lastclock?: string;
  hosts?: { host: string }[];
}

interface RawHistoryValue {
  itemid: string;
  clock: string;
  ns?: string;
  value: string;
}

const VALUE_TYPES: Record<string, string> = {
  '0': 'numeric float',
  '1': 'character',
  '2': 'log',
  '3': 'numeric unsigned',
  '4': 'text',
  '5': 'binary',
};
const ITEM_OUTPUT = ['itemid', 'name', 'key_', 'value_type', 'units', 'status', 'state', 'error'];
const MAX_HISTORY_ITEMS = 100;

/**
 * Items of hosts (not templates) whose key or name contains `search`, on `host` when given,
 * sorted by name, with their latest value.
 *
 * @example
 * ```ts
 * const items = await findItems(client, signal, { host: 'web-1', search: 'cpu', limit: 100 });
 * ```
 */
export async function findItems(
  client: ZabbixClient,
  signal: AbortSignal,
  query: { host?: string; search?: string; limit: number },
): Promise<ZabbixItem[]> {
  const hostids = await hostIdsOf(client, signal, query.host);
  const search = query.search !== undefined && query.search !== '' ? query.search : undefined;
  const items = await client.call<RawItem[]>(
    'item.get',
    {
      output: [...ITEM_OUTPUT, 'lastvalue', 'lastclock'],
      selectHosts: ['host'],
      templated: false,
      webitems: true,
      ...(hostids !== undefined && { hostids }),
      ...(search !== undefined && { search: { key_: search, name: search }, searchByAny: true }),
      sortfield: 'name',
      limit: query.limit,
    },
    signal,
  );
  return items.map(toItem);
}

/**
 * The values of the items `itemids`, or of the items with key `key` (on `host` when
 * given), between `timeFrom` and `timeTill`, newest first: one `history.get` per value type.
 *
 * @example
 * ```ts
 * const { values } = await findHistory(client, signal, { host: 'web-1', key: 'system.cpu.load', limit: 100 });
 * ```
 */
export async function findHistory(
  client: ZabbixClient,
  signal: AbortSignal,
  query: {
    itemids?: string[];
    host?: string;
    key?: string;
    timeFrom?: number;
    timeTill?: number;
    limit: number;
  },
): Promise<ZabbixHistory> {
  const items = await itemsForHistory(client, signal, query);
  const byType = new Map<string, string[]>();
  for (const item of items)
    byType.set(item.value_type, [...(byType.get(item.value_type) ?? []), item.itemid]);
  const values: RawHistoryValue[] = [];
  for (const [valueType, itemids] of byType) {
    const rows = await client.call<RawHistoryValue[]>(
      'history.get',
      {
        output: ['itemid', 'clock', 'ns', 'value'],
        history: Number(valueType),
        itemids,
        ...(query.timeFrom !== undefined && { time_from: query.timeFrom }),
        ...(query.timeTill !== undefined && { time_till: query.timeTill }),
        sortfield: 'clock',
        sortorder: 'DESC',
        limit: query.limit,
      },
      signal,
    );
    values.push(...rows);
  }
  values.sort((a, b) => Number(b.clock) - Number(a.clock) || Number(b.ns ?? 0) - Number(a.ns ?? 0));
  return {
    items: items.map(toItem),
    values: values.slice(0, query.limit).map((v) => ({
      itemid: v.itemid,
      time: isoTime(v.clock),
      value: v.value,
    })),
  };
}

async function itemsForHistory(
  client: ZabbixClient,
  signal: AbortSignal,
  query: { itemids?: string[]; host?: string; key?: string },
): Promise<RawItem[]> {
  const params = { output: ITEM_OUTPUT, selectHosts: ['host'], webitems: true };
  if (query.itemids !== undefined && query.itemids.length > 0) {
    const items = await client.call<RawItem[]>(
      'item.get',
      { ...params, itemids: query.itemids },
      signal,
    );
    if (items.length === 0) {
      throw ZabbixErrors.AKM_ZABBIX_NOT_FOUND({ what: `item has id ${query.itemids.join(', ')}` });
    }
    return items;
  }
  if (query.key === undefined || query.key === '') {
    throw ZabbixErrors.AKM_ZABBIX_INPUT_INVALID({
      reason:
        'get_history needs itemids, or an item key (with host to pick one host); get_items finds them',
    });
  }
  const hostids = await hostIdsOf(client, signal, query.host);
  const items = await client.call<RawItem[]>(
    'item.get',
    {
      ...params,
      templated: false,
      filter: { key_: query.key },
      ...(hostids !== undefined && { hostids }),
      limit: MAX_HISTORY_ITEMS,
    },
    signal,
  );
  if (items.length === 0) {
    const where = query.host === undefined ? '' : ` on host "${query.host}"`;
    throw ZabbixErrors.AKM_ZABBIX_NOT_FOUND({
      what: `item has key "${query.key}"${where} (get_items lists the keys)`,
    });
  }
  return items;
}

async function hostIdsOf(
  client: ZabbixClient,
  signal: AbortSignal,
  host: string | undefined,
): Promise<string[] | undefined> {
  if (host === undefined || host === '') return undefined;
  return (await resolveHosts(client, signal, [host])).map((h) => h.hostid);
}

function toItem(raw: RawItem): ZabbixItem {
  const hasValue = raw.lastclock !== undefined && raw.lastclock !== '0';
  return {
    itemid: raw.itemid,
    host: raw.hosts?.[0]?.host ?? '',
    name: raw.name,
    key: raw.key_,
    value_type: VALUE_TYPES[raw.value_type] ?? raw.value_type,
    units: raw.units,
    enabled: raw.status === '0',
    supported: raw.state !== '1',
    ...(hasValue && { last_value: raw.lastvalue ?? '', last_time: isoTime(raw.lastclock) }),
    ...(raw.error !== undefined && raw.error !== '' && { error: raw.error }),
  };
}
