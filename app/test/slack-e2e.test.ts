import { existsSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  startFakeSlack,
  type FakeSlack,
  type FakeSlackMessage,
} from '@akmatori/notifier-slack/testing';
import {
  mcp,
  message,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { sshToolSettings, startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';

// Slack end to end: `akmatori serve` (API, gateway, embedded worker driving the real codex
// binary) with a scripted model, a real sshd behind the SSH tool, a real Alertmanager sending
// the alert, and the real Bolt connected over Socket Mode to the fake Slack. (HTTP mode is
// covered against the same fake in slack.test.ts.) The investigation runs a read-only command,
// then two writes that need approval: one approved in Slack, one denied; then it reports. A
// follow-up asked with @akmatori in the incident's thread resumes the Codex session while
// Slack answers a burst of 429s.

const REPORT = [
  '## Summary',
  'The disk of web-1 filled with logs.',
  '## Root cause',
  'Log rotation stopped.',
  '## Evidence',
  '- `uname -s` printed Linux',
  '## Actions taken',
  'Created a marker file after approval; the second write was denied.',
  '## Recommendations',
  'Restore log rotation.',
  '## Confidence',
  'high',
].join('\n');
const ANSWER = 'Follow-up: the disk is at 40% now and rotation runs hourly.';

/** The one responder on call, linked by e-mail. */
const rita = { id: 'U0RITA', name: 'rita', email: 'rita@example.com' };
const CHANNEL = 'C0ONCALL';
const EDIT_INTERVAL_MS = 3000;

const approvedFile = `/tmp/akmatori-slack-e2e-approved-${randomUUID()}`;
const deniedFile = `/tmp/akmatori-slack-e2e-denied-${randomUUID()}`;

let slack: FakeSlack;
let sshd: RunningSshd;
let model: ScriptedModel;
let akmatori: SpawnedAkmatori;
let alertmanager: RunningAlertmanager | undefined;

interface RunView {
  id: string;
  kind: string;
  status: string;
  session_id: string | null;
}

beforeAll(async () => {
  slack = await startFakeSlack({
    users: [rita],
    channels: { C0ALERTS: 'alerts', [CHANNEL]: 'web-oncall' },
  });
  sshd = await startSshd();
  model = await startScriptedModel([
    [mcp('akmatori', 'web__execute_command', { command: 'uname -s' })],
    [mcp('akmatori', 'web__execute_command', { command: `touch ${approvedFile}` })],
    [mcp('akmatori', 'web__execute_command', { command: `touch ${deniedFile}` })],
    [message(REPORT)],
    [message(ANSWER)],
  ]);
  akmatori = await startAkmatori({ GATEWAY_PORT: '0', AKMATORI_WORKER_CAPACITY: '2' });
  await akmatori.useModel(model);
  const tool = await akmatori.api<{ id: string }>(
    'POST',
    '/api/tools',
    {
      tool_type_name: 'ssh',
      name: 'web',
      settings: sshToolSettings(sshd, { allowWrite: true }),
    },
    201,
  );
  await akmatori.api('PUT', '/api/skills/disk-filling-up/tools', { tool_instance_ids: [tool.id] });
  await akmatori.api(
    'POST',
    '/api/users',
    {
      username: rita.name,
      password: 'a long enough password',
      role: 'responder',
      email: rita.email,
    },
    201,
  );
  await akmatori.api('PUT', '/api/settings/slack', {
    enabled: true,
    mode: 'socket',
    bot_token: slack.botToken,
    app_token: slack.appToken,
    alerts_channel: 'C0ALERTS',
    api_url: slack.apiUrl,
  });
  await pollUntil('Bolt connected over Socket Mode', async () =>
    slack.socketConnections === 1 ? true : undefined,
  );
  await akmatori.workerConnected();
}, 120_000);

afterAll(async () => {
  await alertmanager?.stop();
  await akmatori?.stop();
  await model?.close();
  await sshd?.stop();
  await slack?.close();
  rmSync(approvedFile, { force: true });
  rmSync(deniedFile, { force: true });
});

/** Waits for `what`, failing with the server's log tail and what Slack holds. */
async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  return pollUntil(what, async () => probe(), { timeoutMs, intervalMs: 200 }).catch(
    (error: Error) => {
      const held = slack
        .messages()
        .map((m) => `${m.channel} ${m.ts} ${m.threadTs ?? '-'} ${m.text}`);
      throw new Error(
        `${error.message}\nSlack holds:\n${held.join('\n')}\nAkmatori's log (tail):\n${akmatori.output().slice(-5000)}`,
      );
    },
  );
}

const roots = (): FakeSlackMessage[] =>
  slack.messages(CHANNEL).filter((m) => m.threadTs === undefined);

/** The approval request for `command` in the thread of `root`, once it has buttons. */
const approvalFor = (root: FakeSlackMessage, command: string) =>
  waitFor(`the approval request for "${command}" in the thread`, () => {
    const request = slack
      .thread(CHANNEL, root.ts)
      .find((m) => m.text.startsWith('Approval') && m.text.includes(command));
    const button = JSON.stringify(request?.blocks ?? []).match(
      /"action_id":"akm_approve","value":"([0-9a-f-]{36})"/,
    );
    return request !== undefined && button !== null ? { request, id: button[1]! } : undefined;
  });

async function runsOf(incident: string): Promise<RunView[]> {
  return (await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${incident}/runs`)).data;
}

describe('an incident in Slack, end to end', () => {
  let root: FakeSlackMessage;
  let incident: string;

  it('an Alertmanager alert opens one root message in its source’s channel, with "Investigation started" in the thread', async () => {
    const source = await akmatori.createSource({
      source_type_name: 'alertmanager',
      name: 'am',
      allow_unauthenticated: true,
      grouping_window_seconds: 0,
      slack_channel: CHANNEL,
    });
    alertmanager = await startAlertmanager({ webhookUrl: akmatori.webhookUrl(source) });
    await alertmanager.postAlerts([
      { labels: { alertname: 'DiskFull', instance: 'web-1:9100', severity: 'critical' } },
    ]);
    root = await waitFor('the root message', () => roots()[0]);
    expect(root.text).toContain('DiskFull');
    incident = /incident `([0-9a-f-]{36})`/.exec(JSON.stringify(root.blocks))![1]!;
    await waitFor('"Investigation started" in the thread', () =>
      slack.thread(CHANNEL, root.ts).find((m) => m.text.includes('Investigation started')),
    );
    expect(slack.messages('C0ALERTS'), 'nothing in the default channel').toEqual([]);
  }, 120_000);

  it('Approve on a write command in the thread lets the tool call run, and the request shows who approved', async () => {
    const { request, id } = await approvalFor(root, `touch ${approvedFile}`);
    expect(JSON.stringify(request.blocks)).toContain('web-1');
    expect(existsSync(approvedFile), 'nothing runs before the approval').toBe(false);
    const click = await slack.clickButton({
      user: rita.id,
      channel: CHANNEL,
      messageTs: request.ts,
      actionId: 'akm_approve',
      value: id,
    });
    expect(click.afterMs, 'acknowledged within Slack’s 3 seconds').toBeLessThan(3000);
    await waitFor('the approved command to have run', () =>
      existsSync(approvedFile) ? true : undefined,
    );
    const decided = await waitFor('the approval message redrawn', () => {
      const now = slack.messages(CHANNEL).find((m) => m.ts === request.ts);
      return now?.text.startsWith('Approval approved') === true ? now : undefined;
    });
    expect(JSON.stringify(decided.blocks)).toContain('Approved by user:rita');
    expect(JSON.stringify(decided.blocks)).not.toContain('akm_approve');
  }, 120_000);

  it('Deny stops the next write: the command never runs and the investigation goes on to its report', async () => {
    const { request, id } = await approvalFor(root, `touch ${deniedFile}`);
    await slack.clickButton({
      user: rita.id,
      channel: CHANNEL,
      messageTs: request.ts,
      actionId: 'akm_deny',
      value: id,
    });
    await waitFor('the denial in the thread', () => {
      const now = slack.messages(CHANNEL).find((m) => m.ts === request.ts);
      return now?.text.startsWith('Approval denied') === true ? now : undefined;
    });
    const [run] = await waitFor('the run to finish', async () => {
      const runs = await runsOf(incident);
      return runs[0]?.status === 'completed' || runs[0]?.status === 'failed' ? runs : undefined;
    });
    expect(run?.status).toBe('completed');
    expect(existsSync(deniedFile), 'the denied command did not run').toBe(false);
    const calls = (
      await akmatori.api<{ data: { arguments: { command: string }; decision: string }[] }>(
        'GET',
        `/api/incidents/${incident}/tool-calls`,
      )
    ).data;
    expect(calls.map((call) => [call.arguments.command, call.decision])).toEqual([
      ['uname -s', 'allowed'],
      [`touch ${approvedFile}`, 'approved'],
      [`touch ${deniedFile}`, 'denied'],
    ]);
  }, 150_000);

  it('the report lands in the thread and the root message ends showing the completed investigation, edited at most once per interval', async () => {
    const report = await waitFor('the report in the thread', () =>
      slack.thread(CHANNEL, root.ts).find((m) => m.text.startsWith('Report:')),
    );
    expect(JSON.stringify(report.blocks)).toContain('Log rotation stopped.');
    const final = await waitFor('the final state on the root message', () => {
      const now = slack.messages(CHANNEL).find((m) => m.ts === root.ts);
      return now?.text.includes('investigation completed') === true ? now : undefined;
    });
    expect(JSON.stringify(final.blocks)).toContain('akm_reinvestigate');
    expect(JSON.stringify(final.blocks)).not.toContain('akm_cancel');
    expect(roots(), 'one root message for the incident').toHaveLength(1);

    const edits = slack.calls
      .filter((c) => c.method === 'chat.update' && c.args.ts === root.ts && c.status === 200)
      .map((c) => c.at);
    const events = (
      await akmatori.api<{ data: unknown[] }>('GET', `/api/incidents/${incident}/events`)
    ).data.length;
    expect(edits.length, 'run events are coalesced into fewer edits').toBeLessThan(events);
    const gaps = edits.slice(1).map((at, i) => at - edits[i]!);
    expect(
      Math.min(...gaps),
      `edits ${EDIT_INTERVAL_MS} ms apart at least (gaps: ${gaps.join(', ')})`,
    ).toBeGreaterThanOrEqual(EDIT_INTERVAL_MS - 100);
  }, 60_000);

  it('@akmatori in the thread resumes the investigation and its answer lands in the thread, through a burst of 429s', async () => {
    const [first] = await runsOf(incident);
    const limitedFrom = slack.calls.length;
    slack.rateLimit('chat.postMessage', 2, 1);
    slack.rateLimit('chat.update', 3, 1);
    await slack.sendEvent({
      type: 'app_mention',
      user: rita.id,
      channel: CHANNEL,
      text: '<@U0AKMBOT> Is the disk still filling up?',
      ts: `${Math.floor(Date.now() / 1000)}.000900`,
      thread_ts: root.ts,
    });
    const answer = await waitFor('the answer in the thread', () =>
      slack
        .thread(CHANNEL, root.ts)
        .find((m) => m.text.startsWith('Answer:') && m.text.includes(ANSWER)),
    );
    expect(JSON.stringify(answer.blocks)).toContain('rotation runs hourly');
    const runs = await runsOf(incident);
    const followUp = runs.find((run) => run.kind === 'follow_up');
    expect(followUp?.status).toBe('completed');
    expect(followUp?.session_id, 'the same Codex session').toBe(first?.session_id);
    expect(JSON.stringify(model.requests.at(-1)?.body)).toContain('Is the disk still filling up?');

    const limited = slack.calls.slice(limitedFrom).filter((c) => c.status === 429);
    expect(
      limited.map((c) => c.method).sort(),
      'Slack answered 429 to the first calls of the burst',
    ).toEqual([
      'chat.postMessage',
      'chat.postMessage',
      'chat.update',
      'chat.update',
      'chat.update',
    ]);
    await waitFor('the root message to show the follow-up done', () => {
      const now = slack.messages(CHANNEL).find((m) => m.ts === root.ts);
      return now?.text.includes('investigation completed') === true ? now : undefined;
    });
    expect(
      slack.thread(CHANNEL, root.ts).filter((m) => m.text.startsWith('Answer')),
      'one answer, edited in place',
    ).toHaveLength(1);
  }, 150_000);
});
