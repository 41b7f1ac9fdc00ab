import { randomBytes } from 'node:crypto';
import {
  mcp,
  message,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { sshToolSettings, startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';
import { evalReplay } from '../src/replay/eval-replay.js';

// Replay of a recorded investigation, as `akmatori serve` runs it: the real codex binary
// against the scripted model, a real sshd behind the gateway's SSH tool. The run is recorded;
// its replay answers the model and the tools from the recording (the sshd runs nothing new);
// a replay with a changed skill against another model trajectory shows what differs.

const SECRET = `replay-secret-${randomBytes(8).toString('hex')}`;
const PROVIDER_KEY = 'sk-scripted-provider-key';

const report = (rootCause: string): string =>
  [
    '## Summary',
    'web-1 runs Linux and answered over SSH.',
    '## Root cause',
    rootCause,
    '## Evidence',
    '- `uname -s` printed Linux',
    '## Actions taken',
    'None.',
    '## Recommendations',
    'Rotate logs.',
    '## Confidence',
    'High',
  ].join('\n');

const CHANGED_SKILL = [
  '---',
  'name: disk-filling-up',
  'description: Replay-changed skill. Check the free space with df before anything else.',
  '---',
  '# Disk filling up',
  '',
  'Run `df -h` on the host first.',
  '',
].join('\n');

interface ToolCallView {
  name: string;
  arguments: Record<string, unknown>;
}
interface ReplayView {
  mode: string;
  skills_from: string;
  replayed: { run_id: string; attempt: number; attempts: number };
  original: { tool_calls: ToolCallView[]; report_markdown: string | null };
  replay: {
    status: string;
    error: string | null;
    tool_calls: ToolCallView[];
    report_markdown: string | null;
    calls: (ToolCallView & { recorded: boolean; is_error: boolean })[];
    model_calls: number;
  };
  diff: {
    identical: boolean;
    tool_calls: {
      added: ToolCallView[];
      removed: ToolCallView[];
      changed: { name: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
    };
    report: { section: string; before: string | null; after: string | null }[];
  };
}

let sshd: RunningSshd;
let recordedModel: ScriptedModel;
let changedModel: ScriptedModel | undefined;
let followUpModel: ScriptedModel | undefined;
let resumedModel: ScriptedModel | undefined;
let incidentId: string;
let akmatori: SpawnedAkmatori;
let runId: string;

/** Commands sshd has started so far (LogLevel VERBOSE logs each session it starts). */
const sshdSessions = (): number => sshd.output().split('Starting session:').length - 1;

beforeAll(async () => {
  sshd = await startSshd();
  recordedModel = await startScriptedModel([
    [mcp('akmatori', 'web__execute_command', { command: 'uname -s' })],
    [mcp('akmatori', 'web__execute_command', { command: `echo ${SECRET}` })],
    [message(report('Disk filled by logs.'))],
  ]);
  akmatori = await startAkmatori({ GATEWAY_PORT: '0' });
  await akmatori.useModel(recordedModel);
  const tool = await akmatori.api<{ id: string }>(
    'POST',
    '/api/tools',
    {
      tool_type_name: 'ssh',
      name: 'web',
      settings: { ...sshToolSettings(sshd), password: SECRET },
    },
    201,
  );
  await akmatori.api('PUT', '/api/skills/disk-filling-up/tools', { tool_instance_ids: [tool.id] });
  await akmatori.workerConnected();
  const incident = await akmatori.api<{ uuid: string }>(
    'POST',
    '/api/incidents',
    { task: 'web-1 reports its disk filling up', skills: ['disk-filling-up'] },
    201,
  );
  incidentId = incident.uuid;
  const run = await pollUntil(
    'the recorded run to finish',
    async () => {
      const runs = (
        await akmatori.api<{ data: { id: string; status: string }[] }>(
          'GET',
          `/api/incidents/${incident.uuid}/runs`,
        )
      ).data;
      return runs[0]?.status === 'completed' || runs[0]?.status === 'failed' ? runs[0] : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${akmatori.output().slice(-6000)}`);
  });
  expect(run.status, akmatori.output().slice(-6000)).toBe('completed');
  runId = run.id;
}, 180_000);

afterAll(async () => {
  await akmatori?.stop();
  await recordedModel?.close();
  await changedModel?.close();
  await followUpModel?.close();
  await resumedModel?.close();
  await sshd?.stop();
});

/** Runs `akmatori eval replay` on the run with the admin's token, capturing what it prints. */
async function evalReplayPrinting(
  options: Parameters<typeof evalReplay>[1],
): Promise<{ exitCode: number; printed: string }> {
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  vi.stubEnv('AKMATORI_TOKEN', akmatori.token);
  try {
    const exitCode = await evalReplay(runId, options);
    return { exitCode, printed: printed.join('') };
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
}

describe('replay of a recorded investigation', () => {
  it('records the task, the tools, every model exchange and every tool result, with no secret in them', async () => {
    const recording = await akmatori.api<{ data: { kind: string }[] }>(
      'GET',
      `/api/runs/${runId}/recording`,
    );
    const kinds = recording.data.map((entry) => entry.kind);
    expect(kinds[0]).toBe('task');
    expect(kinds).toContain('tools');
    expect(kinds.filter((kind) => kind === 'model')).toHaveLength(recordedModel.requests.length);
    expect(kinds.filter((kind) => kind === 'tool')).toHaveLength(2);
    const plaintext = JSON.stringify(recording);
    expect(plaintext, 'the SSH password is scrubbed').not.toContain(SECRET);
    expect(plaintext, 'the provider key is scrubbed').not.toContain(PROVIDER_KEY);
    expect(plaintext).not.toContain(sshd.clientPrivateKey.split('\n')[1]!);
    expect(plaintext).toContain('[secret scrubbed]');
    expect(plaintext, 'the tool output is recorded').toContain('Linux');
  });

  it('replays the run from the recording alone: the same tool calls and report, and sshd runs nothing', async () => {
    const sessionsBefore = sshdSessions();
    expect(sessionsBefore, 'the recorded run ran its two commands on sshd').toBeGreaterThanOrEqual(
      2,
    );
    const requestsBefore = recordedModel.requests.length;
    const result = await akmatori.api<ReplayView>('POST', `/api/runs/${runId}/replay`, {
      mode: 'recorded',
    });
    expect(result.replay.status, result.replay.error ?? '').toBe('completed');
    expect(result.replayed, 'a run of one attempt replays that attempt').toEqual({
      run_id: runId,
      attempt: 1,
      attempts: 1,
    });
    expect(result.skills_from).toBe('recording');
    expect(result.replay.tool_calls).toEqual(result.original.tool_calls);
    expect(result.replay.tool_calls.map((call) => call.arguments.command)).toEqual([
      'uname -s',
      'echo [secret scrubbed]',
    ]);
    expect(result.replay.report_markdown).toBe(report('Disk filled by logs.'));
    expect(result.replay.report_markdown).toBe(result.original.report_markdown);
    expect(result.diff).toEqual({
      identical: true,
      tool_calls: { added: [], removed: [], changed: [] },
      report: [],
    });
    expect(result.replay.calls.every((call) => call.recorded)).toBe(true);
    expect(result.replay.model_calls).toBe(requestsBefore);
    expect(recordedModel.requests, 'the model was not asked again').toHaveLength(requestsBefore);
    expect(sshdSessions(), 'sshd started no session for the replay').toBe(sessionsBefore);
  }, 120_000);

  it('`akmatori eval replay` prints that the replay reproduced the run, and exits 0', async () => {
    const { exitCode, printed } = await evalReplayPrinting({
      url: akmatori.url,
      mode: 'recorded',
      skill: [],
    });
    expect(exitCode, printed).toBe(0);
    expect(printed).toBe(
      [
        'replay (recorded): completed',
        `tool calls: 2 recorded, 2 replayed; model calls: ${recordedModel.requests.length}`,
        'identical: the same tool calls and the same report',
        '',
      ].join('\n'),
    );
  }, 120_000);

  it('`akmatori eval replay --current-skills --json` replays with the skills as they are now', async () => {
    const { exitCode, printed } = await evalReplayPrinting({
      url: akmatori.url,
      mode: 'recorded',
      skill: [],
      currentSkills: true,
      json: true,
    });
    expect(exitCode, printed).toBe(0);
    const result = JSON.parse(printed) as ReplayView;
    expect(result.skills_from).toBe('current');
    expect(result.diff.identical, 'the skill is unchanged since the run').toBe(true);
  }, 120_000);

  it('replays with a changed skill against another trajectory and shows the differences', async () => {
    changedModel = await startScriptedModel([
      [mcp('akmatori', 'web__execute_command', { command: 'uname -s' })],
      [mcp('akmatori', 'web__execute_command', { command: 'df -h' })],
      [message(report('The root filesystem is full of core dumps.'))],
    ]);
    await akmatori.useModel(changedModel);
    const sessionsBefore = sshdSessions();
    const result = await akmatori.api<ReplayView>('POST', `/api/runs/${runId}/replay`, {
      mode: 'model',
      skills: [{ name: 'disk-filling-up', content: CHANGED_SKILL }],
    });
    expect(result.replay.status, result.replay.error ?? '').toBe('completed');
    expect(JSON.stringify(changedModel.requests[0]?.body)).toContain('Replay-changed skill');
    expect(result.diff.identical).toBe(false);
    expect(result.diff.tool_calls).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          name: 'web__execute_command',
          before: { command: 'echo [secret scrubbed]' },
          after: { command: 'df -h' },
        },
      ],
    });
    expect(result.diff.report).toEqual([
      {
        section: 'rootCause',
        before: 'Disk filled by logs.',
        after: 'The root filesystem is full of core dumps.',
      },
    ]);
    const notRecorded = result.replay.calls.find((call) => call.arguments.command === 'df -h');
    expect(notRecorded).toMatchObject({ recorded: false, is_error: true });
    expect(JSON.stringify(changedModel.requests.at(-1)?.body)).toContain('Not recorded');
    expect(sshdSessions(), 'sshd started no session for the replay').toBe(sessionsBefore);
  }, 120_000);

  it("replays a follow-up resuming the session it resumed: the investigation's earlier turns", async () => {
    followUpModel = await startScriptedModel([[message('The disk is at 40% now.')]]);
    await akmatori.useModel(followUpModel);
    await akmatori.api(
      'POST',
      `/api/incidents/${incidentId}/messages`,
      { text: 'Is it still filling up?' },
      202,
    );
    const followUp = await pollUntil(
      'the follow-up to finish',
      async () => {
        const runs = (
          await akmatori.api<{ data: { id: string; kind: string; status: string }[] }>(
            'GET',
            `/api/incidents/${incidentId}/runs`,
          )
        ).data;
        const found = runs.find((one) => one.kind === 'follow_up');
        return found?.status === 'completed' || found?.status === 'failed' ? found : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(followUp.status, akmatori.output().slice(-4000)).toBe('completed');
    expect(
      JSON.stringify(followUpModel.requests[0]?.body),
      'the follow-up itself resumed the investigation',
    ).toContain('Disk filled by logs.');

    const recorded = await akmatori.api<ReplayView>('POST', `/api/runs/${followUp.id}/replay`, {
      mode: 'recorded',
    });
    expect(recorded.replay.status, recorded.replay.error ?? '').toBe('completed');
    expect(recorded.replay.report_markdown).toBe('The disk is at 40% now.');
    expect(recorded.diff.identical).toBe(true);

    resumedModel = await startScriptedModel([[message('It is still filling up.')]]);
    await akmatori.useModel(resumedModel);
    const withModel = await akmatori.api<ReplayView>('POST', `/api/runs/${followUp.id}/replay`, {
      mode: 'model',
    });
    expect(withModel.replay.status, withModel.replay.error ?? '').toBe('completed');
    const asked = JSON.stringify(resumedModel.requests[0]?.body);
    expect(asked, 'the replayed follow-up has the earlier turns').toContain('Disk filled by logs.');
    expect(asked).toContain('Is it still filling up?');
    expect(withModel.replay.report_markdown).toBe('It is still filling up.');
  }, 150_000);
});
