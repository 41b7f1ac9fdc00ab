import { defineToolProvider, type ToolProvider } from '@akmatori/core';
import { zabbixCredentialSchema, type ZabbixCredentials } from './zabbix-credentials.js';

/**
 * The `zabbix` tool type: queries against a Zabbix server's API. The tools themselves
 * arrive with the MCP gateway; for now it defines the credentials operators configure.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-tools', tools: [zabbixTools] });
 * ```
 */
export const zabbixTools: ToolProvider<ZabbixCredentials> = defineToolProvider<ZabbixCredentials>({
  id: 'zabbix',
  displayName: 'Zabbix',
  credentialSchema: zabbixCredentialSchema,
  tools: [],
});
