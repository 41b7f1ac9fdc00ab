/**
 * The Zabbix alert source.
 */
import { defineAlertAdapter, type AlertAdapter } from '@akmatori/core';
import problem from './fixtures/akmatori_fixture_zabbix_problem.json' with { type: 'json' };
import zulipProblem from './fixtures/zulip_media_type_problem_average.json' with { type: 'json' };
import { parseZabbixNotification, zabbixConfigSchema, type ZabbixConfig } from './parse.js';

/**
 * Receives Zabbix notifications sent by Akmatori's Zabbix webhook media type (one alert per
 * problem, identified by the problem's event id) and, tolerantly, by similar media types such
 * as Zulip's.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'my-sources', adapters: [zabbixAdapter] });
 * ```
 */
export const zabbixAdapter: AlertAdapter<ZabbixConfig> = defineAlertAdapter({
  id: 'zabbix',
  displayName: 'Zabbix',
  configSchema: zabbixConfigSchema,
  authentication:
    'Authorization: Bearer <webhook secret> (the Akmatori media type sends its akmatori_secret parameter so)',
  fingerprintFields: ['event_id', 'trigger_id + hardware', 'hardware + alert_name'],
  samples: [
    { name: 'problem from the Akmatori media type', body: problem },
    { name: 'problem from the Zulip media type', body: zulipProblem },
  ],
  parse: parseZabbixNotification,
});
