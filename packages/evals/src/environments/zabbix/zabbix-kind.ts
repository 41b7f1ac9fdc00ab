import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltEnvironment, EnvironmentKind } from '../environment.js';
import { urlFact } from '../alertmanager/alertmanager-kind.js';
import { acquireSharedZabbix, releaseSharedZabbix } from './shared-zabbix.js';
import { zabbixSpecSchema, type ZabbixSpec } from './zabbix-spec.js';
import { tellZabbixStory } from './zabbix-story.js';

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9_]+/g, '_');

/**
 * Kind `zabbix`: the spec's hosts, trapper items (with their history), triggers and problems
 * in the run's shared real Zabbix 6.0 (see `holdSharedZabbix`), offered as a `zabbix` tool
 * instance with an API token. Facts: `<name>_url`, and per trigger `<name>_event_<id>` (the
 * problem's event id), `<name>_trigger_<id>`; per host `<name>_hostid_<host>`. `stop()`
 * deletes the hosts and the host groups it created, and leaves the shared Zabbix.
 * Host names are global in the shared Zabbix: two environments built at once may not share one.
 *
 * @example
 * ```ts
 * const built = await zabbixEnvironment.build(spec, { workDir, name: 'zabbix' });
 * await built.stop();
 * ```
 */
export const zabbixEnvironment: EnvironmentKind<ZabbixSpec> = {
  kind: 'zabbix',
  specSchema: zabbixSpecSchema,
  async build(spec, context): Promise<BuiltEnvironment> {
    const name = context.name;
    const zabbix = await acquireSharedZabbix();
    const dir = path.join(context.workDir, `zabbix-${name}`);
    const created = { hostIds: [] as string[], groupIds: [] as string[] };
    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      try {
        const call = (method: string, params: unknown): Promise<unknown> =>
          zabbix.api.call(method, params, zabbix.apiToken);
        if (created.hostIds.length > 0) await call('host.delete', created.hostIds);
        if (created.groupIds.length > 0) await call('hostgroup.delete', created.groupIds);
        await rm(dir, { recursive: true, force: true });
      } finally {
        await releaseSharedZabbix();
      }
    };
    try {
      await mkdir(dir, { recursive: true });
      const story = await tellZabbixStory(zabbix, spec, dir, created);
      const own = slug(name);
      const facts: Record<string, string> = { [urlFact(name)]: zabbix.apiUrl };
      for (const [id, eventid] of Object.entries(story.eventIds))
        facts[`${own}_event_${id}`] = eventid;
      for (const [id, triggerid] of Object.entries(story.triggerIds))
        facts[`${own}_trigger_${id}`] = triggerid;
      for (const [host, hostid] of Object.entries(story.hostIds))
        facts[`${own}_hostid_${slug(host)}`] = hostid;
      return {
        toolInstances: [
          {
            type: 'zabbix',
            name,
            settings: { api_url: zabbix.apiUrl },
            credentials: { api_token: zabbix.apiToken },
          },
        ],
        facts,
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};
