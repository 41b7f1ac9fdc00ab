// The example loaded and configured the way an operator does it: the built `akmatori serve`
// started with AKMATORI_PLUGINS naming the package (installs the notifier) and AKMATORI_NOTIFIERS
// giving its config (turns it on); an alert sent to a webhook must reach the file.
// Needs `npx tsc -b tsconfig.build.json` first (the app and the example).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { startServerProcess } from '@akmatori/test-support/app/server-process';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

const PLUGIN = '@akmatori-examples/jsonl-notifier';

let akmatori: SpawnedAkmatori;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'akm-jsonl-e2e-'));
  file = path.join(dir, 'events', 'incidents.jsonl');
  akmatori = await startAkmatori({
    AKMATORI_PLUGINS: PLUGIN,
    AKMATORI_NOTIFIERS: JSON.stringify({ 'jsonl-file': { file } }),
  });
}, 120_000);

afterAll(async () => {
  await akmatori?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

interface Line {
  type: string;
  incident: { uuid: string; title: string; severity: string; state: string };
}

const lines = (): Line[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Line)
    : [];

describe('the JSON Lines notifier through AKMATORI_PLUGINS and AKMATORI_NOTIFIERS', () => {
  it('writes incident.created for an incident a webhook opened', async () => {
    const source = await akmatori.createSource({
      source_type_name: 'alertmanager',
      name: 'am',
      allow_unauthenticated: true,
    });
    const response = await fetch(akmatori.webhookUrl(source), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '4',
        status: 'firing',
        receiver: 'akmatori',
        groupKey: '{}:{alertname="DiskFull"}',
        groupLabels: { alertname: 'DiskFull' },
        commonLabels: { alertname: 'DiskFull', severity: 'critical' },
        commonAnnotations: {},
        externalURL: 'http://alertmanager:9093',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db-1' },
            annotations: { summary: 'Disk full on db-1' },
            startsAt: '2026-12-05T10:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus:9090/graph',
            fingerprint: 'a1b2c3d4e5f60718',
          },
        ],
      }),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const { incident } = await akmatori.waitForIncident(source, 'the incident', () => true);
    const created = await pollUntil(
      'incident.created in the JSON Lines file',
      async () =>
        lines().find(
          (line) => line.type === 'incident.created' && line.incident.uuid === incident.uuid,
        ),
      { timeoutMs: 20_000, intervalMs: 100 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nfile: ${JSON.stringify(lines())}\n${akmatori.output()}`);
    });
    expect(created.incident).toMatchObject({ severity: 'critical', state: 'open' });
  });

  it('refuses to start when the configured notifier’s config is invalid, naming the setting', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-jsonl-bad-'));
    try {
      const start = startServerProcess({
        AKMATORI_DATA_DIR: dataDir,
        ADMIN_PASSWORD: 'bad-notifier-config',
        AKMATORI_PLUGINS: PLUGIN,
        AKMATORI_NOTIFIERS: JSON.stringify({ 'jsonl-file': {} }),
      });
      await expect(start).rejects.toThrow(/notifiers\.jsonl-file/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
