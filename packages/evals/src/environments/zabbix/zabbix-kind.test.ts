import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BuiltEnvironment } from '../environment.js';
import { holdSharedZabbix } from './shared-zabbix.js';
import { zabbixApi } from './zabbix-api.js';
import { zabbixEnvironment } from './zabbix-kind.js';

// The run's one real Zabbix 6.0, held for the file: db-1's data disk climbed from 70 % to
// 97.5 % over 40 minutes and its trigger (over 95 %) is in problem, acknowledged by Admin.
describe('zabbix environment (the shared real Zabbix 6.0)', () => {
  let workDir: string;
  let built: BuiltEnvironment;
  let release: () => Promise<void>;
  let apiUrl: string;
  let token: string;
  const call = <T>(method: string, params: unknown): Promise<T> =>
    zabbixApi(apiUrl).call<T>(method, params, token);

  beforeAll(async () => {
    release = holdSharedZabbix({ postgresAdminUrl: inject('postgresAdminUrl') });
    workDir = mkdtempSync(path.join(tmpdir(), 'akmatori-eval-zabbix-test-'));
    built = await zabbixEnvironment.build(
      {
        hosts: [
          {
            host: 'eval-db-1',
            groups: ['Eval databases'],
            items: [
              {
                key: 'vfs.fs.size[/var/lib/postgresql,pused]',
                name: 'Used space on /var/lib/postgresql',
                units: '%',
                start: 70,
                value: 97.5,
                points: 41,
              },
            ],
            triggers: [
              {
                id: 'disk',
                description: 'Disk space is critically low on {HOST.NAME}',
                expression: 'last(/eval-db-1/vfs.fs.size[/var/lib/postgresql,pused])>95',
                priority: 'high',
                acknowledge: 'Looking at it - alice',
              },
            ],
          },
        ],
      },
      { workDir, name: 'zabbix' },
    );
    const [instance] = built.toolInstances;
    apiUrl = instance!.settings.api_url as string;
    token = instance!.credentials.api_token as string;
  }, 240_000);

  afterAll(async () => {
    await built?.stop();
    await release?.();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('offers a zabbix tool instance with an API token, and names the ids as facts', () => {
    expect(built.toolInstances).toEqual([
      {
        type: 'zabbix',
        name: 'zabbix',
        settings: { api_url: apiUrl },
        credentials: { api_token: token },
      },
    ]);
    expect(built.facts).toEqual({
      zabbix_url: apiUrl,
      zabbix_event_disk: expect.stringMatching(/^\d+$/),
      zabbix_trigger_disk: expect.stringMatching(/^\d+$/),
      zabbix_hostid_eval_db_1: expect.stringMatching(/^\d+$/),
    });
  });

  it('holds the problem, started in the past, high, acknowledged with the message', async () => {
    const [problem] = await call<Record<string, unknown>[]>('problem.get', {
      eventids: [built.facts.zabbix_event_disk],
      selectAcknowledges: ['message'],
      output: 'extend',
    });
    expect(problem).toMatchObject({
      name: 'Disk space is critically low on eval-db-1',
      severity: '4',
      acknowledged: '1',
      acknowledges: [{ message: 'Looking at it - alice' }],
    });
    expect(Date.now() / 1000 - Number(problem!.clock)).toBeGreaterThan(60);
  });

  it('holds the item history: 41 values a minute apart, climbing to 97.5', async () => {
    const [item] = await call<{ itemid: string }[]>('item.get', {
      hostids: [built.facts.zabbix_hostid_eval_db_1],
      output: ['itemid'],
    });
    const history = await call<{ clock: string; value: string }[]>('history.get', {
      itemids: [item!.itemid],
      history: 0,
      sortfield: 'clock',
      sortorder: 'ASC',
    });
    expect(history).toHaveLength(41);
    expect(Number(history[0]!.value)).toBe(70);
    expect(Number(history.at(-1)!.value)).toBe(97.5);
    expect(Number(history.at(-1)!.clock) - Number(history[0]!.clock)).toBe(40 * 60);
  });

  it('stop() deletes its host and host group, and the shared Zabbix stops with the last user', async () => {
    await built.stop();
    expect(await call('host.get', { filter: { host: ['eval-db-1'] } })).toEqual([]);
    expect(await call('hostgroup.get', { filter: { name: ['Eval databases'] } })).toEqual([]);
    await release();
    await expect(fetch(apiUrl)).rejects.toThrow();
  });
});
