import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './capture.js';
import type { ZabbixApi } from './zabbix-api.js';
import { pollUntil } from './process.js';

const execFileAsync = promisify(execFile);

/** The Akmatori media type export, as an operator imports it. */
export const AKMATORI_MEDIA_TYPE_YAML = path.join(
  REPO_ROOT,
  'packages/adapters/src/zabbix/media-type/akmatori_webhook.yaml',
);

/** The host, item and trigger the harness creates. */
export const TEST_HOST = 'akmatori-peer-host';
export const TEST_ITEM_KEY = 'akmatori.queue.depth';
export const TEST_TRIGGER = 'Queue depth is above 10 on {HOST.NAME}';
export const TEST_RUNBOOK_URL = 'https://runbooks.example.com/zabbix/queue-depth';

/** Drives the test trigger through `zabbix_sender`. */
export interface ZabbixTestProblem {
  /** Id of the `Akmatori` media type after import. */
  readonly mediaTypeId: string;
  /**
   * Sends `value` (default 42, above the threshold of 10) to the trapper item and resolves
   * with the problem's event id once Zabbix shows the problem.
   */
  fireProblem(value?: number): Promise<string>;
  /** Sends 0 and resolves with the recovery event id once the problem is resolved. */
  resolveProblem(): Promise<string>;
}

/**
 * Imports the Akmatori media type through `configuration.import`, points it at `webhookUrl`,
 * gives Admin that media, and creates a host with a trapper item, a trigger (with a URL and a
 * `runbook_url` tag) and an action that notifies Admin of problems and recoveries.
 *
 * @example
 * ```ts
 * const problem = await configureAkmatoriAlerting(api, token, { webhookUrl, secret: '', serverPort, senderBinary });
 * ```
 */
export async function configureAkmatoriAlerting(
  api: ZabbixApi,
  auth: string,
  options: { webhookUrl: string; secret: string; serverPort: number; senderBinary: string },
): Promise<ZabbixTestProblem> {
  const call = <T>(method: string, params: unknown): Promise<T> =>
    api.call<T>(method, params, auth);

  await call('configuration.import', {
    format: 'yaml',
    rules: { mediaTypes: { createMissing: true, updateExisting: true } },
    source: readFileSync(AKMATORI_MEDIA_TYPE_YAML, 'utf8'),
  });
  const [mediaType] = await call<
    { mediatypeid: string; parameters: { name: string; value: string }[] }[]
  >('mediatype.get', { output: ['mediatypeid', 'parameters'], filter: { name: 'Akmatori' } });
  if (mediaType === undefined) throw new Error('the imported media type "Akmatori" is missing');
  const settings: Record<string, string> = {
    akmatori_url: options.webhookUrl,
    akmatori_secret: options.secret,
  };
  await call('mediatype.update', {
    mediatypeid: mediaType.mediatypeid,
    parameters: mediaType.parameters.map((p) => ({
      name: p.name,
      value: settings[p.name] ?? p.value,
    })),
  });
  await call('user.update', {
    userid: '1',
    medias: [
      {
        mediatypeid: mediaType.mediatypeid,
        sendto: 'akmatori',
        active: 0,
        severity: 63,
        period: '1-7,00:00-24:00',
      },
    ],
  });

  const { groupids } = await call<{ groupids: string[] }>('hostgroup.create', {
    name: 'Akmatori peer tests',
  });
  const { hostids } = await call<{ hostids: string[] }>('host.create', {
    host: TEST_HOST,
    groups: [{ groupid: groupids[0] }],
  });
  const hostid = hostids[0]!;
  const message = { default_msg: 1, mediatypeid: mediaType.mediatypeid };
  await call('action.create', {
    name: 'Notify Akmatori',
    eventsource: 0,
    status: 0,
    esc_period: '1h',
    filter: { evaltype: 0, conditions: [{ conditiontype: 1, operator: 0, value: hostid }] },
    operations: [{ operationtype: 0, opmessage: message, opmessage_usr: [{ userid: '1' }] }],
    recovery_operations: [
      { operationtype: 0, opmessage: message, opmessage_usr: [{ userid: '1' }] },
    ],
  });
  // The item starts disabled and is enabled last, so once the server's configuration cache
  // accepts values for it, it also has the trigger and the action.
  const { itemids } = await call<{ itemids: string[] }>('item.create', {
    hostid,
    name: 'Queue depth',
    key_: TEST_ITEM_KEY,
    type: 2,
    value_type: 3,
    status: 1,
  });
  await call('trigger.create', {
    description: TEST_TRIGGER,
    expression: `last(/${TEST_HOST}/${TEST_ITEM_KEY})>10`,
    priority: 4,
    url: TEST_RUNBOOK_URL,
    tags: [{ tag: 'runbook_url', value: `${TEST_RUNBOOK_URL}#tag` }],
  });
  await call('item.update', { itemid: itemids[0], status: 0 });

  const send = async (value: number): Promise<void> => {
    await pollUntil(
      `zabbix_sender ${TEST_HOST} ${TEST_ITEM_KEY}=${value} to be processed`,
      async () => {
        const { stdout } = await execFileAsync(options.senderBinary, [
          ...['-z', '127.0.0.1', '-p', String(options.serverPort)],
          ...['-s', TEST_HOST, '-k', TEST_ITEM_KEY, '-o', String(value)],
        ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
        return /processed: 1;/.test(stdout) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  };
  const problems = (): Promise<{ eventid: string; r_eventid: string }[]> =>
    call('problem.get', { output: ['eventid', 'r_eventid'], hostids: [hostid], recent: true });
  let lastEventId = '';
  return {
    mediaTypeId: mediaType.mediatypeid,
    async fireProblem(value = 42) {
      await send(value);
      lastEventId = await pollUntil('the problem in Zabbix', async () => {
        const open = (await problems()).find((p) => p.r_eventid === '0');
        return open?.eventid;
      });
      return lastEventId;
    },
    async resolveProblem() {
      await send(0);
      return pollUntil('the problem to resolve in Zabbix', async () => {
        const done = (await problems()).find(
          (p) => p.eventid === lastEventId && p.r_eventid !== '0',
        );
        return done?.r_eventid;
      });
    },
  };
}
