import { defineToolProvider, type ToolProvider } from '@akmatori/core';
import { apiRequestTool } from './zabbix-api-request.js';
import { zabbixCredentialSchema, type ZabbixCredentials } from './zabbix-credentials.js';
import {
  getHistoryTool,
  getHostsTool,
  getItemsTool,
  getProblemsTool,
  getTriggersTool,
} from './zabbix-query-tools.js';

/**
 * The `zabbix` tool type: read-only queries against a Zabbix server's JSON-RPC API
 * (`get_hosts`, `get_problems`, `get_history`, `get_items`, `get_triggers`, and
 * `api_request` for any other `*.get` method), with an API token or a username and password.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-tools', tools: [zabbixTools] });
 * ```
 */
export const zabbixTools: ToolProvider<ZabbixCredentials> = defineToolProvider({
  id: 'zabbix',
  displayName: 'Zabbix',
  credentialSchema: zabbixCredentialSchema,
  tools: [
    getHostsTool,
    getProblemsTool,
    getHistoryTool,
    getItemsTool,
    getTriggersTool,
    apiRequestTool,
  ],
});
