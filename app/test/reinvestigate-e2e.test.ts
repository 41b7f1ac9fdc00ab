import { message, startScriptedModel, type ScriptedModel } from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// `akmatori serve` as installed: its embedded worker runs the real codex; alerts come from a
// real Alertmanager before any LLM provider is configured, so the first investigation fails.

const REPORT = [
  '## Summary',
  'The disk of web-1 filled up with logs.',
  '## Root cause',
  'Log rotation stopped.',
  '## Confidence',
  'high',
].join('\n');

interface IncidentView {
  uuid: string;
  state: string;
  investigation_status: string;
  summary: string | null;
}

let model: ScriptedModel;
let akmatori: SpawnedAkmatori;
let alertmanager: RunningAlertmanager | undefined;

beforeAll(async () => {
  model = await startScriptedModel([[message(REPORT)]]);
  akmatori = await startAkmatori({ GATEWAY_PORT: '0' });
  await akmatori.workerConnected();
}, 120_000);

afterAll(async () => {
  await alertmanager?.stop();
  await akmatori?.stop();
  await model?.close();
});

const incident = (uuid: string): Promise<IncidentView> =>
  akmatori.api<IncidentView>('GET', `/api/incidents/${uuid}`);

describe('an incident whose alerts came before the LLM was configured', () => {
  it('fails its first investigation, and is investigated again on request once the LLM is set', async () => {
    const source = await akmatori.createSource({
      source_type_name: 'alertmanager',
      name: 'am',
      allow_unauthenticated: true,
      grouping_window_seconds: 0,
    });
    alertmanager = await startAlertmanager({ webhookUrl: akmatori.webhookUrl(source) });
    await alertmanager.postAlerts([
      { labels: { alertname: 'DiskFull', instance: 'web-1:9100', severity: 'critical' } },
    ]);
    const { incident: opened } = await akmatori.waitForIncident(
      source,
      'the DiskFull incident',
      () => true,
    );
    const failed = await pollUntil(
      'the first investigation to fail',
      async () => {
        const current = await incident(opened.uuid);
        return current.investigation_status === 'failed' ? current : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(failed.summary).toMatch(/the LLM provider is not configured/);
    expect(failed.state).toBe('open');

    await akmatori.useModel(model);
    const queued = await akmatori.api<{ status: string; incident: IncidentView }>(
      'POST',
      `/api/incidents/${opened.uuid}/investigate`,
      undefined,
      202,
    );
    expect(queued).toMatchObject({
      status: 'queued',
      incident: { investigation_status: 'pending' },
    });
    const completed = await pollUntil(
      'the second investigation to complete',
      async () => {
        const current = await incident(opened.uuid);
        return current.investigation_status === 'completed' ? current : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(completed.summary).toContain('Log rotation stopped.');
    const runs = await akmatori.api<{ data: { status: string; error: string | null }[] }>(
      'GET',
      `/api/incidents/${opened.uuid}/runs`,
    );
    expect(runs.data.map((run) => run.status)).toEqual(['failed', 'completed']);
  }, 180_000);
});
