import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EvalErrors } from '../../errors.js';
import { pollUntil } from '../prometheus/peer-process.js';
import { itemValues, ZABBIX_PRIORITIES, type ZabbixSpec } from './zabbix-spec.js';
import { ZABBIX_BINARIES, type ZabbixServer } from './zabbix-server.js';

const execFileAsync = promisify(execFile);

/** What a told story created, to tell facts from and to delete. */
export interface ZabbixStory {
  readonly hostIds: Readonly<Record<string, string>>;
  readonly triggerIds: Readonly<Record<string, string>>;
  readonly eventIds: Readonly<Record<string, string>>;
  readonly createdGroupIds: readonly string[];
}

/**
 * Creates the spec's hosts (trapper items, triggers) in `zabbix`, sends each item's history
 * with its timestamps through `zabbix_sender` (so problems start in the past), acknowledges
 * what the spec says, and waits for every trigger that should fire to be in problem.
 * `record` hears each created host and group id at once, so a failed build can delete them.
 *
 * @example
 * ```ts
 * const story = await tellZabbixStory(zabbix, spec, workDir, created);
 * ```
 */
export async function tellZabbixStory(
  zabbix: ZabbixServer,
  spec: ZabbixSpec,
  workDir: string,
  created: { hostIds: string[]; groupIds: string[] },
): Promise<ZabbixStory> {
  const call = <T>(method: string, params: unknown): Promise<T> =>
    zabbix.api.call<T>(method, params, zabbix.apiToken);
  const hostIds: Record<string, string> = {};
  const triggerIds: Record<string, string> = {};
  const itemIds: string[] = [];
  const createdGroupIds: string[] = [];
  const groupId = async (name: string): Promise<string> => {
    const [found] = await call<{ groupid: string }[]>('hostgroup.get', {
      filter: { name: [name] },
    });
    if (found !== undefined) return found.groupid;
    const { groupids } = await call<{ groupids: string[] }>('hostgroup.create', { name });
    createdGroupIds.push(groupids[0]!);
    created.groupIds.push(groupids[0]!);
    return groupids[0]!;
  };
  for (const host of spec.hosts) {
    const groups = [];
    for (const name of host.groups ?? ['Linux servers'])
      groups.push({ groupid: await groupId(name) });
    const { hostids } = await call<{ hostids: string[] }>('host.create', {
      host: host.host,
      groups,
    });
    hostIds[host.host] = hostids[0]!;
    created.hostIds.push(hostids[0]!);
    for (const item of host.items) {
      // Disabled until the triggers exist, so the server never sees an item without them.
      const { itemids } = await call<{ itemids: string[] }>('item.create', {
        hostid: hostids[0],
        name: item.name,
        key_: item.key,
        type: 2,
        value_type: item.value_type === 'unsigned' ? 3 : 0,
        units: item.units ?? '',
        status: 1,
      });
      itemIds.push(itemids[0]!);
    }
    for (const trigger of host.triggers ?? []) {
      const { triggerids } = await call<{ triggerids: string[] }>('trigger.create', {
        description: trigger.description,
        expression: trigger.expression,
        priority: ZABBIX_PRIORITIES.indexOf(trigger.priority),
        ...(trigger.url !== undefined && { url: trigger.url }),
        tags: Object.entries(trigger.tags ?? {}).map(([tag, value]) => ({ tag, value })),
      });
      triggerIds[trigger.id] = triggerids[0]!;
    }
  }
  const firstHost = spec.hosts[0]!.host;
  for (const itemid of itemIds) await call('item.update', { itemid, status: 0 });
  const probeKey = `akmatori.eval.probe[${Date.now()}]`;
  const { itemids: probeIds } = await call<{ itemids: string[] }>('item.create', {
    hostid: hostIds[firstHost],
    name: 'probe',
    key_: probeKey,
    type: 2,
    value_type: 3,
  });
  // The configuration cache reads the database in one sync: once it knows the probe, created
  // after the story's items were enabled, it knows those items and their triggers too.
  await pollUntil(
    'the Zabbix server to load the story items',
    async () => {
      const { stdout } = await sender(zabbix, ['-s', firstHost, '-k', probeKey, '-o', '1']);
      return /processed: 1;/.test(stdout) ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  await call('item.delete', probeIds);

  const nowSeconds = Math.floor(Date.now() / 1000);
  const lines: string[] = [];
  for (const host of spec.hosts) {
    for (const item of host.items) {
      const values = itemValues(item);
      const step = item.interval_seconds ?? 60;
      values.forEach((value, index) => {
        const clock = nowSeconds - (values.length - 1 - index) * step;
        lines.push(`"${host.host}" "${item.key.replace(/"/g, '\\"')}" ${clock} ${value}`);
      });
    }
  }
  const input = path.join(workDir, 'zabbix-history.txt');
  await writeFile(input, `${lines.join('\n')}\n`);
  const { stdout } = await sender(zabbix, ['-T', '-i', input]);
  if (!new RegExp(`processed: ${lines.length}; failed: 0`).test(stdout)) {
    throw EvalErrors.AKM_EVAL_PEER_REFUSED({
      peer: 'zabbix_sender',
      request: `the history (${lines.length} values)`,
      answer: `not all were processed: ${stdout}`,
    });
  }

  const eventIds: Record<string, string> = {};
  for (const host of spec.hosts) {
    for (const trigger of host.triggers ?? []) {
      if (trigger.fires === false) continue;
      const eventid = await pollUntil(`the problem of trigger "${trigger.id}"`, async () => {
        const [problem] = await call<{ eventid: string }[]>('problem.get', {
          objectids: [triggerIds[trigger.id]],
          output: ['eventid'],
        });
        return problem?.eventid;
      });
      eventIds[trigger.id] = eventid;
      if (trigger.acknowledge !== undefined) {
        await call('event.acknowledge', {
          eventids: [eventid],
          action: 6,
          message: trigger.acknowledge,
        });
      }
    }
  }
  return { hostIds, triggerIds, eventIds, createdGroupIds };
}

async function sender(zabbix: ZabbixServer, args: readonly string[]): Promise<{ stdout: string }> {
  return execFileAsync(ZABBIX_BINARIES.sender.path, [
    ...['-z', '127.0.0.1', '-p', String(zabbix.serverPort)],
    ...args,
  ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
}
