import {
  mcp,
  message,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  startAlertmanager,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { sshToolSettings, startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// The whole system as `akmatori serve` runs it: API, in-process gateway, embedded worker child
// driving the real codex binary, a scripted model behind the gateway's model proxy, a real
// sshd behind the gateway's SSH tool, and a real Alertmanager sending the alert.

const REPORT = [
  '## Summary',
  'The host runs Linux and answered over SSH.',
  '## Root cause',
  'Disk filled by logs.',
  '## Evidence',
  '- `uname -s` printed Linux',
  '## Actions taken',
  'None.',
  '## Recommendations',
  'Rotate logs.',
  '## Confidence',
  'high',
].join('\n');

interface RunView {
  id: string;
  kind: string;
  status: string;
  report: Record<string, string> | null;
  report_markdown: string | null;
  usage: Record<string, number>;
  session_id: string | null;
}
interface EventView {
  id: number;
  run_id: string;
  type: string;
  event: Record<string, unknown>;
}

let sshd: RunningSshd;
let model: ScriptedModel;
let akmatori: SpawnedAkmatori;
let alertmanager: RunningAlertmanager | undefined;
let socket: WebSocket;
const pushed: EventView[] = [];

beforeAll(async () => {
  sshd = await startSshd();
  model = await startScriptedModel([
    [mcp('akmatori', 'web__execute_command', { command: 'uname -s' })],
    [message(REPORT)],
    [message('Follow-up: the disk is fine now.')],
  ]);
  akmatori = await startAkmatori({ GATEWAY_PORT: '0', AKMATORI_WORKER_CAPACITY: '2' });
  await akmatori.useModel(model);
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
  await akmatori.workerConnected();
  // As a browser does: a one-time ticket in the URL, never the login token.
  const { ticket } = (await akmatori.api('POST', '/api/events/ticket', undefined, 201)) as {
    ticket: string;
  };
  socket = new WebSocket(
    `${akmatori.url.replace('http', 'ws')}/ws/events?after=0&ticket=${ticket}`,
  );
  socket.on('message', (data) => pushed.push(JSON.parse(String(data)) as EventView));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
}, 120_000);

afterAll(async () => {
  socket?.close();
  await alertmanager?.stop();
  await akmatori?.stop();
  await model?.close();
  await sshd?.stop();
});

async function runsOf(incident: string): Promise<RunView[]> {
  return (await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${incident}/runs`)).data;
}

describe('an investigation end to end', () => {
  let incident: string;

  it('an Alertmanager webhook becomes an incident whose run calls the SSH tool and stores the report', async () => {
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
    incident = opened.uuid;
    const [run] = await pollUntil(
      'the run to complete',
      async () => {
        const runs = await runsOf(incident);
        return runs[0]?.status === 'completed' || runs[0]?.status === 'failed' ? runs : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${akmatori.output().slice(-6000)}`);
    });
    expect(run?.status, JSON.stringify(run)).toBe('completed');
    expect(run?.report?.summary).toBe('The host runs Linux and answered over SSH.');
    expect(run?.report?.rootCause).toBe('Disk filled by logs.');
    expect(run?.report_markdown).toBe(REPORT);
    expect(run?.usage.input_tokens).toBeGreaterThan(0);
    expect(run?.session_id).toBeTruthy();

    const timeline = (
      await akmatori.api<{ data: EventView[] }>('GET', `/api/incidents/${incident}/events`)
    ).data;
    const toolDone = timeline.find((event) => event.type === 'tool.completed');
    expect(toolDone?.event).toMatchObject({
      tool: 'akmatori.web__execute_command',
      isError: false,
    });
    expect(String(toolDone?.event.output)).toContain('Linux');
    expect(timeline.at(-1)?.type).toBe('run.completed');
    const incidentView = await akmatori.api<{ status: string; summary: string }>(
      'GET',
      `/api/incidents/${incident}`,
    );
    expect(incidentView.status).toBe('completed');

    // The same events reached the /ws/events subscriber, in order.
    await pollUntil('the subscriber to have every event', async () =>
      pushed.filter((event) => event.run_id === run!.id).length === timeline.length
        ? true
        : undefined,
    );
    expect(pushed.filter((event) => event.run_id === run!.id).map((event) => event.id)).toEqual(
      timeline.map((event) => event.id),
    );

    // The model call went through the gateway, which added the provider key.
    expect(model.requests[0]?.headers.authorization).toBe('Bearer sk-scripted-provider-key');
    const calls = (
      await akmatori.api<{ data: { tool: string; decision: string }[] }>(
        'GET',
        `/api/incidents/${incident}/tool-calls`,
      )
    ).data;
    expect(calls.map((call) => [call.tool, call.decision])).toEqual([
      ['execute_command', 'allowed'],
    ]);
  }, 150_000);

  it('a follow-up resumes the same Codex thread', async () => {
    const queued = await akmatori.api<RunView>(
      'POST',
      `/api/incidents/${incident}/messages`,
      { text: 'Is the disk still full?' },
      202,
    );
    const done = await pollUntil(
      'the follow-up to finish',
      async () => {
        const run = (await runsOf(incident)).find((candidate) => candidate.id === queued.id);
        return run?.status === 'completed' || run?.status === 'failed' ? run : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(done.status, akmatori.output().slice(-4000)).toBe('completed');
    expect(done.kind).toBe('follow_up');
    const [first] = await runsOf(incident);
    expect(done.session_id).toBe(first?.session_id);
    const lastRequest = JSON.stringify(model.requests.at(-1)?.body);
    expect(lastRequest).toContain('Is the disk still full?');
    expect(lastRequest).toContain('The host runs Linux and answered over SSH.');
  }, 120_000);
});
