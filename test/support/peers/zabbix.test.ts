import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  debianPackageVersion,
  fixturesDir,
  readCommittedCapture,
  REPO_ROOT,
  shapeOf,
  writeCapture,
  WRITING_CAPTURES,
  type Capture,
} from './capture.js';
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from './receiver.js';
import { pollUntil } from './process.js';
import { startZabbix, type RunningZabbix } from './zabbix.js';
import {
  AKMATORI_MEDIA_TYPE_YAML,
  TEST_HOST,
  TEST_ITEM_KEY,
  TEST_RUNBOOK_URL,
  TEST_TRIGGER,
} from './zabbix-alerting.js';

const WEBHOOK_PATH = '/webhook/alert/7c1e9b52-0d4f-4a8e-b6a1-3f2d5e6c7b80';
const SECRET = 'zabbix-peer-secret';
const REJECTED_PATH = '/webhook/alert/rejected';
const MEDIA_TYPE_JS = path.join(
  REPO_ROOT,
  'packages/adapters/src/zabbix/media-type/akmatori_webhook.js',
);
const ZABBIX_TIME = /^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}$/;

/** The fields the Akmatori media type sends for a problem, and only those. */
const PROBLEM_FIELDS = [
  'alert_name',
  'event_id',
  'event_status',
  'event_time',
  'hardware',
  'metric_name',
  'metric_value',
  'priority',
  'runbook_url',
  'severity',
  'trigger_expression',
];

const fields = (request: ReceivedRequest): Record<string, string> =>
  request.json as Record<string, string>;

describe('Zabbix 6.0 with the Akmatori webhook media type (real zabbix_server)', () => {
  let receiver: WebhookReceiver;
  let zabbix: RunningZabbix;
  let eventId: string;
  let recoveryId: string;
  let problem: ReceivedRequest;
  let recovery: ReceivedRequest;

  beforeAll(async () => {
    receiver = await startReceiver((request) =>
      request.path === REJECTED_PATH
        ? { status: 401, body: '{"error":"invalid webhook secret"}' }
        : { status: 200, body: '{"status":"ok"}' },
    );
    zabbix = await startZabbix({ webhookUrl: `${receiver.url}${WEBHOOK_PATH}`, secret: SECRET });
    eventId = await zabbix.fireProblem(42);
    problem = await receiver.waitFor((r) => fields(r).event_id === eventId, 60_000);
    recoveryId = await zabbix.resolveProblem();
    recovery = await receiver.waitFor((r) => fields(r).recovery_event_id === recoveryId, 60_000);
    if (WRITING_CAPTURES) {
      writeCapture(zabbixCapture('captured_zabbix60_problem', 'a problem', problem, zabbix));
      writeCapture(zabbixCapture('captured_zabbix60_resolved', 'its recovery', recovery, zabbix));
    }
  }, 180_000);

  afterAll(async () => {
    await zabbix?.stop();
    await receiver?.stop();
  });

  it('imports the media type with the same script as akmatori_webhook.js', async () => {
    const [mediaType] = await zabbix.api.call<{ script: string; type: string }[]>(
      'mediatype.get',
      { output: ['script', 'type'], mediatypeids: [zabbix.mediaTypeId] },
      zabbix.apiToken,
    );
    expect(mediaType?.type, 'type 4 is webhook').toBe('4');
    expect(mediaType?.script.replace(/\r\n/g, '\n')).toBe(
      readFileSync(MEDIA_TYPE_JS, 'utf8').trimEnd(),
    );
  });

  it('posts each notification to the Akmatori URL as JSON with the bearer secret', () => {
    for (const request of [problem, recovery]) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe(WEBHOOK_PATH);
      expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(request.headers['content-type']).toBe('application/json');
    }
  });

  it('sends a problem with exactly the Akmatori fields, macros expanded', () => {
    expect(Object.keys(fields(problem)).sort()).toEqual(PROBLEM_FIELDS);
    expect(fields(problem)).toMatchObject({
      alert_name: TEST_TRIGGER.replace('{HOST.NAME}', TEST_HOST),
      severity: 'High',
      priority: '4',
      hardware: TEST_HOST,
      event_status: 'PROBLEM',
      event_id: eventId,
      trigger_expression: `last(/${TEST_HOST}/${TEST_ITEM_KEY})>10`,
      metric_name: 'Queue depth',
      metric_value: '42',
      runbook_url: TEST_RUNBOOK_URL,
    });
    expect(fields(problem).event_time).toMatch(ZABBIX_TIME);
  });

  it('sends the recovery with the problem fields plus recovery_event_id and event_recovery_time', () => {
    expect(Object.keys(fields(recovery)).sort()).toEqual(
      [...PROBLEM_FIELDS, 'event_recovery_time', 'recovery_event_id'].sort(),
    );
    expect(fields(recovery)).toMatchObject({
      event_status: 'RESOLVED',
      event_id: eventId,
      recovery_event_id: recoveryId,
    });
    expect(fields(recovery).event_recovery_time).toMatch(ZABBIX_TIME);
  });

  it('fails the Zabbix notification with the HTTP status when Akmatori answers non-2xx', async () => {
    const call = <T>(method: string, params: unknown): Promise<T> =>
      zabbix.api.call<T>(method, params, zabbix.apiToken);
    const [mediaType] = await call<{ parameters: { name: string; value: string }[] }[]>(
      'mediatype.get',
      { output: ['parameters'], mediatypeids: [zabbix.mediaTypeId] },
    );
    await call('mediatype.update', {
      mediatypeid: zabbix.mediaTypeId,
      parameters: mediaType!.parameters.map((p) =>
        p.name === 'akmatori_url' ? { ...p, value: `${receiver.url}${REJECTED_PATH}` } : p,
      ),
    });
    const rejectedEventId = await zabbix.fireProblem(77);

    const error = await pollUntil(
      'the failed notification in alert.get',
      async () => {
        const alerts = await call<{ error: string }[]>('alert.get', {
          output: ['error', 'status'],
          eventids: [rejectedEventId],
        });
        return alerts.find((alert) => alert.error !== '')?.error;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(error).toContain('Akmatori webhook failed: Akmatori answered HTTP 401');
    expect(error).toContain('invalid webhook secret');
  }, 90_000);

  it('sends bodies with the shape of the committed captured_zabbix60 fixtures', () => {
    const keep = ['event_status', 'severity', 'priority'];
    for (const [name, request] of [
      ['captured_zabbix60_problem', problem],
      ['captured_zabbix60_resolved', recovery],
    ] as const) {
      expect(shapeOf(request.json, keep), name).toEqual(
        shapeOf(readCommittedCapture(fixturesDir('zabbix'), name), keep),
      );
    }
  });
});

function zabbixCapture(
  name: string,
  what: string,
  request: ReceivedRequest,
  zabbix: RunningZabbix,
): Capture {
  const yaml = readFileSync(AKMATORI_MEDIA_TYPE_YAML);
  const packages = ['zabbix-server-pgsql', 'zabbix-frontend-php', 'zabbix-agent', 'php-cli'];
  return {
    dir: fixturesDir('zabbix'),
    name,
    what: `${what} sent by Zabbix 6.0 through the Akmatori webhook media type.`,
    request,
    producers: [
      `${zabbix.version} [Debian packages ${packages.map((p) => `${p} ${debianPackageVersion(p)}`).join(', ')}]`,
      `media type: packages/adapters/src/zabbix/media-type/akmatori_webhook.yaml (sha256 ${createHash('sha256').update(yaml).digest('hex')}), imported with configuration.import`,
      `PostgreSQL ${debianPackageVersion('postgresql-15')} (private cluster), frontend API under php -S`,
    ],
    steps: [
      `media type parameters: akmatori_url=<receiver>${WEBHOOK_PATH}, akmatori_secret=${SECRET}`,
      'user Admin gets the media; action "Notify Akmatori" sends the default message to Admin through it for problems and recoveries',
      `host ${TEST_HOST}, trapper item "Queue depth" (${TEST_ITEM_KEY}, unsigned)`,
      `trigger "${TEST_TRIGGER}", expression last(/${TEST_HOST}/${TEST_ITEM_KEY})>10, severity High, URL ${TEST_RUNBOOK_URL}, tag runbook_url=${TEST_RUNBOOK_URL}#tag`,
      `zabbix_sender -s ${TEST_HOST} -k ${TEST_ITEM_KEY} -o 42: the problem`,
      `zabbix_sender -s ${TEST_HOST} -k ${TEST_ITEM_KEY} -o 0: the recovery`,
    ],
    configs: { 'zabbix_server.conf': zabbix.serverConfig },
    command: 'AKMATORI_WRITE_CAPTURES=1 npx vitest run test/support/peers/zabbix.test.ts',
  };
}
