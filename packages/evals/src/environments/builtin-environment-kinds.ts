import type { EnvironmentKind } from './environment.js';
import { alertmanagerEnvironment } from './alertmanager/index.js';
import { prometheusEnvironment } from './prometheus/index.js';
import { sshHostEnvironment } from './ssh-host/index.js';
import { zabbixEnvironment } from './zabbix/index.js';

/**
 * The environment kinds `akmatori eval run` and the CI test register. A new kind is added here
 * (one import and one entry) once its folder under `environments/` is committed.
 *
 * @example
 * ```ts
 * const registry = createEnvironmentRegistry(builtinEnvironmentKinds);
 * ```
 */
export const builtinEnvironmentKinds: readonly EnvironmentKind<never>[] = [
  sshHostEnvironment as EnvironmentKind<never>,
  prometheusEnvironment as EnvironmentKind<never>,
  alertmanagerEnvironment as EnvironmentKind<never>,
  zabbixEnvironment as EnvironmentKind<never>,
];
