import type { ToolDefinition } from '@akmatori/core';
import type { ZabbixCredentials } from './zabbix-credentials.js';
import { findHosts } from './zabbix-host-queries.js';
import { findHistory, findItems } from './zabbix-item-queries.js';
import { countOf, rowLimit, unixSeconds, zabbixResult } from './zabbix-result.js';
import { limitNote, limitSchema, optionalText, severitySchema, zabbixTool } from './zabbix-tool.js';
import { findProblems, findTriggers } from './zabbix-trigger-queries.js';

/** Arguments of `get_hosts`. */
export interface GetHostsArgs {
  search?: string;
  group?: string;
  limit?: number;
}

/** Lists hosts with their groups and interface availability. */
export const getHostsTool: ToolDefinition<ZabbixCredentials, GetHostsArgs> = zabbixTool({
  name: 'get_hosts',
  description:
    'List Zabbix hosts: host name, visible name, monitored or not, maintenance, host groups, and each interface (agent, SNMP, IPMI, JMX) with its address and availability.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      search: {
        type: 'string',
        description: 'Only hosts whose host name or visible name contains this text.',
      },
      group: {
        type: 'string',
        description: 'Only hosts in host groups whose name contains this text.',
      },
      limit: limitSchema(50),
    },
  },
  async run(client, signal, args) {
    const limit = rowLimit(args.limit, 50);
    const hosts = await findHosts(client, signal, {
      search: optionalText(args.search),
      group: optionalText(args.group),
      limit,
    });
    return zabbixResult(`${countOf(hosts.length, 'host')}${limitNote(hosts.length, limit)}`, hosts);
  },
});

/** Arguments of `get_problems`. */
export interface GetProblemsArgs {
  hosts?: string[];
  severity_min?: number;
  recent?: boolean;
  limit?: number;
}

/** Lists current (and with `recent`, recently resolved) problems, newest first. */
export const getProblemsTool: ToolDefinition<ZabbixCredentials, GetProblemsArgs> = zabbixTool({
  name: 'get_problems',
  description:
    'List Zabbix problems (triggers in the problem state), newest first: name, severity, hosts, start time, acknowledged, tags, and whether resolved.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      hosts: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        maxItems: 100,
        description: 'Only problems of these hosts (host names or visible names, exact).',
      },
      severity_min: severitySchema('Only problems of at least this severity'),
      recent: {
        type: 'boolean',
        default: false,
        description: 'Also return problems resolved in the last few minutes (default false).',
      },
      limit: limitSchema(50),
    },
  },
  async run(client, signal, args) {
    const limit = rowLimit(args.limit, 50);
    const problems = await findProblems(client, signal, {
      hosts: Array.isArray(args.hosts) ? args.hosts : undefined,
      severityMin: typeof args.severity_min === 'number' ? args.severity_min : undefined,
      recent: args.recent === true,
      limit,
    });
    const summary = `${countOf(problems.length, 'problem')}, newest first${limitNote(problems.length, limit)}`;
    return zabbixResult(summary, problems);
  },
});

/** Arguments of `get_history`. */
export interface GetHistoryArgs {
  itemids?: string[];
  host?: string;
  key?: string;
  time_from?: number | string;
  time_till?: number | string;
  limit?: number;
}

const timeSchema = (what: string): Record<string, unknown> => ({
  description: `${what}: unix seconds or an ISO 8601 time (2024-05-01T12:00:00Z).`,
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', minLength: 1 },
  ],
});

/** Reads the value history of items, newest first. */
export const getHistoryTool: ToolDefinition<ZabbixCredentials, GetHistoryArgs> = zabbixTool({
  name: 'get_history',
  description:
    'Read the collected values of Zabbix items, newest first. Name the items by itemids, or by key (with host to pick the host); get_items finds them.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      itemids: {
        type: 'array',
        items: { type: 'string', pattern: '^[0-9]+$' },
        minItems: 1,
        maxItems: 100,
        description: 'Ids of the items to read.',
      },
      host: { type: 'string', description: 'Host name or visible name of the item (with key).' },
      key: { type: 'string', description: 'Item key, exact (e.g. system.cpu.load[all,avg1]).' },
      time_from: timeSchema('Oldest value to return'),
      time_till: timeSchema('Newest value to return'),
      limit: limitSchema(100),
    },
  },
  async run(client, signal, args) {
    const limit = rowLimit(args.limit, 100);
    const history = await findHistory(client, signal, {
      itemids: Array.isArray(args.itemids) ? args.itemids : undefined,
      host: optionalText(args.host),
      key: optionalText(args.key),
      timeFrom: unixSeconds(args.time_from, 'time_from'),
      timeTill: unixSeconds(args.time_till, 'time_till'),
      limit,
    });
    const summary = `${countOf(history.values.length, 'value')} of ${countOf(history.items.length, 'item')}, newest first${limitNote(history.values.length, limit)}`;
    return zabbixResult(summary, history);
  },
});

/** Arguments of `get_items`. */
export interface GetItemsArgs {
  host?: string;
  search?: string;
  limit?: number;
}

/** Lists items with their latest values. */
export const getItemsTool: ToolDefinition<ZabbixCredentials, GetItemsArgs> = zabbixTool({
  name: 'get_items',
  description:
    'List Zabbix items (metrics) with their latest value and time, units, and whether they are enabled and supported.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: {
        type: 'string',
        description: 'Only items of this host (host name or visible name, exact).',
      },
      search: { type: 'string', description: 'Only items whose key or name contains this text.' },
      limit: limitSchema(100),
    },
  },
  async run(client, signal, args) {
    const limit = rowLimit(args.limit, 100);
    const items = await findItems(client, signal, {
      host: optionalText(args.host),
      search: optionalText(args.search),
      limit,
    });
    return zabbixResult(`${countOf(items.length, 'item')}${limitNote(items.length, limit)}`, items);
  },
});

/** Arguments of `get_triggers`. */
export interface GetTriggersArgs {
  host?: string;
  only_problems?: boolean;
  min_severity?: number;
  limit?: number;
}

/** Lists triggers, most recently changed first. */
export const getTriggersTool: ToolDefinition<ZabbixCredentials, GetTriggersArgs> = zabbixTool({
  name: 'get_triggers',
  description:
    'List Zabbix triggers, most recently changed first: name (macros expanded), severity, problem or OK, enabled, hosts, last change, URL.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: {
        type: 'string',
        description: 'Only triggers of this host (host name or visible name, exact).',
      },
      only_problems: {
        type: 'boolean',
        default: false,
        description: 'Only triggers in the problem state (default false).',
      },
      min_severity: severitySchema('Only triggers of at least this severity'),
      limit: limitSchema(100),
    },
  },
  async run(client, signal, args) {
    const limit = rowLimit(args.limit, 100);
    const triggers = await findTriggers(client, signal, {
      host: optionalText(args.host),
      onlyProblems: args.only_problems === true,
      minSeverity: typeof args.min_severity === 'number' ? args.min_severity : undefined,
      limit,
    });
    return zabbixResult(
      `${countOf(triggers.length, 'trigger')}${limitNote(triggers.length, limit)}`,
      triggers,
    );
  },
});
