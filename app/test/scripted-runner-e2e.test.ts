import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { sshToolSettings, startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// A second runner, a third party's, proves the Runner contract is enough: the example
// @akmatori-examples/scripted-runner (no LLM) is loaded through AKMATORI_PLUGINS into
// `akmatori serve`, an alert source chooses it, and its run calls the gateway's SSH tool
// against a real sshd with nothing but what the contract gives it (the task and the gateway's
// MCP URL and run token).

interface RunView {
  id: string;
  status: string;
  error: string | null;
  report: Record<string, string> | null;
  report_markdown: string | null;
}
interface EventView {
  type: string;
  event: Record<string, unknown>;
}

let sshd: RunningSshd;
let akmatori: SpawnedAkmatori;

beforeAll(async () => {
  sshd = await startSshd();
  akmatori = await startAkmatori({
    GATEWAY_PORT: '0',
    AKMATORI_PLUGINS: '@akmatori-examples/scripted-runner',
  });
  const tool = await akmatori.api<{ id: string }>(
    'POST',
    '/api/tools',
    {
      tool_type_name: 'ssh',
      name: 'web',
      settings: sshToolSettings(sshd),
    },
    201,
  );
  await akmatori.api('PUT', '/api/skills/disk-filling-up/tools', { tool_instance_ids: [tool.id] });
  // The runbook the scripted runner follows, kept with the skill as one of its files.
  await akmatori.api(
    'PUT',
    '/api/skills/disk-filling-up/files/references/runbook.json',
    {
      content: JSON.stringify([
        { tool: 'web__execute_command', arguments: { command: 'uname -s' } },
      ]),
    },
    204,
  );
}, 120_000);

afterAll(async () => {
  await akmatori?.stop();
  await sshd?.stop();
});

describe('a runner plugin chosen by an alert source', () => {
  it('is listed among the installed runners, and an unknown runner is refused naming them', async () => {
    const setting = await akmatori.api<{ default_runner: string; installed: { id: string }[] }>(
      'GET',
      '/api/settings/runner',
    );
    expect(setting.default_runner).toBe('codex');
    expect(setting.installed.map((runner) => runner.id)).toEqual(['codex', 'scripted-runbook']);
    const refused = await akmatori.api<{ code: string; message: string }>(
      'PUT',
      '/api/settings/runner',
      { default_runner: 'claude' },
      400,
    );
    expect(refused.code).toBe('AKM_UNKNOWN_RUNNER');
    expect(refused.message).toBe(
      'Unknown runner "claude"; installed runners: codex, scripted-runbook',
    );
    const source = await akmatori.api<{ code: string }>(
      'POST',
      '/api/alert-sources',
      {
        source_type_name: 'alertmanager',
        name: 'am-unknown-runner',
        allow_unauthenticated: true,
        runner: 'claude',
      },
      400,
    );
    expect(source.code).toBe('AKM_UNKNOWN_RUNNER');
  });

  it('investigates its incident: the run calls the SSH tool through the gateway and completes with its report', async () => {
    const source = await akmatori.createSource({
      source_type_name: 'alertmanager',
      name: 'am-scripted',
      allow_unauthenticated: true,
      grouping_window_seconds: 0,
      skills: ['disk-filling-up'],
      runner: 'scripted-runbook',
    });
    const sent = await fetch(akmatori.webhookUrl(source), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '4',
        status: 'firing',
        receiver: 'akmatori',
        groupKey: '{}:{alertname="DiskFull"}',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'DiskFull', instance: 'web-1:9100', severity: 'critical' },
            annotations: { summary: 'Disk almost full on web-1' },
            startsAt: new Date().toISOString(),
            fingerprint: 'f1',
          },
        ],
      }),
    });
    expect(sent.status, await sent.text()).toBeLessThan(300);
    const { incident } = await akmatori.waitForIncident(
      source,
      'the DiskFull incident',
      () => true,
    );

    const run = await pollUntil(
      'the run to end',
      async () => {
        const [last] = (
          await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${incident.uuid}/runs`)
        ).data;
        return last?.status === 'completed' || last?.status === 'failed' ? last : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${akmatori.output().slice(-6000)}`);
    });
    expect(run.status, JSON.stringify(run)).toBe('completed');
    expect(run.report?.summary).toBe(
      'Ran 1 runbook step(s) for the incident (1 alert(s)); 0 failed.',
    );
    expect(run.report_markdown).toContain('Linux');

    const timeline = (
      await akmatori.api<{ data: EventView[] }>('GET', `/api/incidents/${incident.uuid}/events`)
    ).data;
    expect(timeline.map((event) => event.type)).toEqual([
      'run.started',
      'agent.message',
      'tool.started',
      'tool.completed',
      'run.completed',
    ]);
    expect(timeline[3]?.event).toMatchObject({
      tool: 'akmatori.web__execute_command',
      isError: false,
    });
    expect(String(timeline[3]?.event.output)).toContain('Linux');

    // The gateway checked the run token and audited the call under this incident.
    const calls = (
      await akmatori.api<{ data: { tool: string; decision: string }[] }>(
        'GET',
        `/api/incidents/${incident.uuid}/tool-calls`,
      )
    ).data;
    expect(calls.map((call) => [call.tool, call.decision])).toEqual([
      ['execute_command', 'allowed'],
    ]);
    const view = await akmatori.api<{ status: string }>('GET', `/api/incidents/${incident.uuid}`);
    expect(view.status).toBe('completed');
  }, 120_000);
});
