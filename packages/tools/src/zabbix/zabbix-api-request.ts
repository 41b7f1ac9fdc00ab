import type { ToolDefinition } from '@akmatori/core';
import type { ZabbixCredentials } from './zabbix-credentials.js';
import { zabbixResult } from './zabbix-result.js';
import { zabbixTool } from './zabbix-tool.js';

/** Arguments of `api_request`. */
export interface ApiRequestArgs {
  method: string;
  params?: Record<string, unknown>;
}

/** The methods `api_request` may call: any `<object>.get`. */
export const READ_METHOD_PATTERN = /^[a-z]+\.get$/;

/**
 * True for the Zabbix API methods that only read: `<object>.get` and `apiinfo.version`.
 *
 * @example
 * ```ts
 * isReadMethod('host.get'); // true
 * isReadMethod('host.delete'); // false
 * ```
 */
export function isReadMethod(method: unknown): boolean {
  return (
    typeof method === 'string' && (READ_METHOD_PATTERN.test(method) || method === 'apiinfo.version')
  );
}

/** Calls any read method of the Zabbix API; other methods are refused without a call. */
export const apiRequestTool: ToolDefinition<ZabbixCredentials, ApiRequestArgs> = zabbixTool({
  name: 'api_request',
  description:
    'Call a read-only Zabbix API method directly, for what the other tools do not cover: any "<object>.get" method (event.get, hostgroup.get, template.get, maintenance.get, ...) or apiinfo.version, with its params as in the Zabbix API documentation. Methods that change anything are refused.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['method'],
    properties: {
      method: {
        type: 'string',
        minLength: 1,
        maxLength: 100,
        description: 'API method, e.g. "event.get". Only "<object>.get" and "apiinfo.version".',
      },
      params: {
        type: 'object',
        description:
          'The method\'s params, e.g. {"output": ["name"], "limit": 10}. Default {}. Add a "limit": results over 4 MiB fail.',
      },
    },
  },
  async run(client, signal, args) {
    if (!isReadMethod(args.method)) {
      const shown = JSON.stringify(String(args.method).slice(0, 100));
      return {
        text: `api_request only calls read methods ("<object>.get" and "apiinfo.version"): ${shown} was not sent to Zabbix.`,
        isError: true,
        refused: true,
      };
    }
    const params =
      args.params !== null && typeof args.params === 'object' && !Array.isArray(args.params)
        ? args.params
        : {};
    const result = await client.call(args.method, params, signal);
    const count = Array.isArray(result) ? ` (${result.length} rows)` : '';
    return zabbixResult(`${args.method}${count}`, result);
  },
});
