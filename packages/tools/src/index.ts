/**
 * `@akmatori/tools`: the built-in tool providers, bundled as one plugin the app registers.
 */
import { definePlugin, type AkmatoriPlugin } from '@akmatori/core';
import { createRequire } from 'node:module';
import { alertmanagerTools } from './prometheus/alertmanager-tools.js';
import { prometheusTools } from './prometheus/prometheus-tools.js';
import { sshTools } from './ssh/ssh-tools.js';
import { zabbixTools } from './zabbix/zabbix-tools.js';

export { alertmanagerTools } from './prometheus/alertmanager-tools.js';
export {
  alertmanagerCredentialSchema,
  httpApiCredentialProblems,
  prometheusCredentialSchema,
  type AlertmanagerCredentials,
  type PrometheusCredentials,
} from './prometheus/http-api-credentials.js';
export { prometheusTools } from './prometheus/prometheus-tools.js';
export {
  sshCredentialProblems,
  sshCredentialSchema,
  type SshCredentials,
  type SshHost,
} from './ssh/ssh-credentials.js';
export {
  MAX_COMMAND_LENGTH,
  judgeCommand,
  type CommandPolicyOptions,
  type CommandVerdict,
} from './ssh/command-policy.js';
export { HostKeyTrustStore, hostKeyFingerprint } from './ssh/host-key.js';
export { createSshTools, sshTools } from './ssh/ssh-tools.js';
export {
  zabbixCredentialProblems,
  zabbixCredentialSchema,
  type ZabbixCredentials,
} from './zabbix/zabbix-credentials.js';
export { zabbixTools } from './zabbix/zabbix-tools.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The built-in tool providers as a plugin: SSH (commands under the read-only policy, writes
 * through approval), Zabbix, Prometheus and Alertmanager (read-only API queries).
 *
 * @example
 * ```ts
 * host.register(builtinTools());
 * ```
 */
export function builtinTools(): AkmatoriPlugin {
  return definePlugin({
    name: '@akmatori/tools',
    version,
    coreVersion: '^0.1.0',
    tools: [sshTools, zabbixTools, prometheusTools, alertmanagerTools],
  });
}
