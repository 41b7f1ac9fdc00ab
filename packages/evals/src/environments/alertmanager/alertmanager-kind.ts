import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltEnvironment, EnvironmentKind } from '../environment.js';
import { alertmanagerSpecSchema, type AlertmanagerSpec } from './alertmanager-spec.js';
import { startAlertmanagerProcess } from './alertmanager-process.js';
import { tellAlertmanagerStory } from './alertmanager-story.js';

/**
 * The fact name of an instance's base URL: `<name>_url`, the name reduced to `[a-z0-9_]`.
 *
 * @example
 * ```ts
 * urlFact('prom'); // 'prom_url'
 * ```
 */
export function urlFact(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9_]+/g, '_')}_url`;
}

/**
 * Kind `alertmanager`: a real Alertmanager (Debian's 0.25) on loopback holding the spec's
 * alerts (firing or resolved), silences and inhibit rules, offered as an `alertmanager` tool
 * instance. Facts: `<name>_url`.
 *
 * @example
 * ```ts
 * const built = await alertmanagerEnvironment.build({ alerts: [{ labels: { alertname: 'X' } }] }, { workDir, name: 'am' });
 * await built.stop();
 * ```
 */
export const alertmanagerEnvironment: EnvironmentKind<AlertmanagerSpec> = {
  kind: 'alertmanager',
  specSchema: alertmanagerSpecSchema,
  async build(spec, context): Promise<BuiltEnvironment> {
    const name = context.name;
    const dir = path.join(context.workDir, `alertmanager-${name}`);
    const am = await startAlertmanagerProcess(dir, spec.inhibit_rules ?? []);
    const stop = async (): Promise<void> => {
      await am.peer.stop();
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await tellAlertmanagerStory(am.url, spec, Date.now());
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      toolInstances: [{ type: 'alertmanager', name, settings: { url: am.url }, credentials: {} }],
      facts: { [urlFact(name)]: am.url },
      stop,
    };
  },
};
