export { zabbixEnvironment } from './zabbix-kind.js';
export { holdSharedZabbix, type SharedZabbixOptions } from './shared-zabbix.js';
export {
  zabbixSpecSchema,
  type ZabbixHostSpec,
  type ZabbixItemSpec,
  type ZabbixSpec,
  type ZabbixTriggerSpec,
} from './zabbix-spec.js';
