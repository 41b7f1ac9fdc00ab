import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  mcp,
  message,
  slow,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@akmatori/test-support/peers/process';
import { sshToolSettings, startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
import { startAkmatori, type SpawnedAkmatori } from '@akmatori/test-support/app/spawned-akmatori';
import {
  collectPageErrors,
  logIn,
  openDashboard,
} from '@akmatori/test-support/web/dashboard-session';
import { saveScreenshot } from './support/screenshots.js';
import { sharedBrowser } from './support/shared-browser.js';

// Replay from the incident page, end to end: `akmatori serve` (API, gateway, embedded worker
// driving the real codex) with a scripted model and a real sshd behind the SSH tool. The
// investigation's worker is killed mid-run, so the run takes two attempts; an admin replays it
// from the dashboard in Debian's Chromium, first from its recording (the last attempt,
// reproduced exactly, sshd running nothing), then with another model trajectory and an edited
// skill, and reads the differences. A responder is not offered replay.

/** Where the screenshots the docs show are written. */
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/** How long one step of a run may take to show (codex starting, a tool call) on a busy CI machine. */
const RUN_STEP_MS = 90_000;

const ADMIN = { username: 'ada', password: 'replay e2e admin password' };
const RESPONDER = { username: 'rita', password: 'replay e2e responder password' };

const report = (rootCause: string): string =>
  [
    '## Summary',
    'web-1 runs Linux and answered over SSH.',
    '## Root cause',
    rootCause,
    '## Evidence',
    '- `uname -s` printed Linux',
    '## Confidence',
    'High',
  ].join('\n');

/** A root cause that tries to become HTML in the page; it must show as text. */
const HOSTILE_ROOT_CAUSE =
  'Core dumps of the <img src=x onerror="window.pwned = 1"> worker filled the root filesystem.';

const EDITED_SKILL = [
  '---',
  'name: disk-filling-up',
  'description: Edited after the incident. Check the free space with df before anything else.',
  '---',
  '# Disk filling up',
  '',
  'Run `df -h` on the host first.',
  '',
].join('\n');

interface RunView {
  id: string;
  status: string;
  attempt: number;
  worker_id: string | null;
}

let sshd: RunningSshd;
let recordedModel: ScriptedModel;
let changedModel: ScriptedModel | undefined;
let akmatori: SpawnedAkmatori;
let browser: Browser;
let adminContext: BrowserContext;
let admin: Page;
let incident: string;
const pageErrors: string[] = [];

/** Commands sshd has started so far (LogLevel VERBOSE logs each session it starts). */
const sshdSessions = (): number => sshd.output().split('Starting session:').length - 1;

/** Waits for `what`, failing with the server's log tail. */
function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  return pollUntil(what, probe, { timeoutMs: RUN_STEP_MS, intervalMs: 250 }).catch(
    (error: Error) => {
      throw new Error(
        `${error.message}\nAkmatori's log (tail):\n${akmatori.output().slice(-5000)}`,
      );
    },
  );
}

const runsOf = async (uuid: string): Promise<RunView[]> =>
  (await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${uuid}/runs`)).data;

beforeAll(async () => {
  [sshd, browser, recordedModel] = await Promise.all([
    startSshd(),
    sharedBrowser(),
    startScriptedModel([
      // The first attempt: the model takes longer than the test waits; its worker is killed.
      [slow(120_000), message('never')],
      // The second attempt, on the restarted worker.
      [mcp('akmatori', 'web__execute_command', { command: 'uname -s' })],
      [mcp('akmatori', 'web__execute_command', { command: 'echo recorded-evidence' })],
      [message(report('Disk filled by logs.'))],
    ]),
  ]);
  akmatori = await startAkmatori({ GATEWAY_PORT: '0' });
  await akmatori.useModel(recordedModel);
  const tool = await akmatori.api<{ id: string }>(
    'POST',
    '/api/tools',
    { tool_type_name: 'ssh', name: 'web', settings: sshToolSettings(sshd) },
    201,
  );
  await akmatori.api('PUT', '/api/skills/disk-filling-up/tools', { tool_instance_ids: [tool.id] });
  await akmatori.api('POST', '/api/users', { ...ADMIN, role: 'admin' }, 201);
  await akmatori.api('POST', '/api/users', { ...RESPONDER, role: 'responder' }, 201);
  await akmatori.workerConnected();

  ({ uuid: incident } = await akmatori.api<{ uuid: string }>(
    'POST',
    '/api/incidents',
    { task: 'web-1 reports its disk filling up', skills: ['disk-filling-up'] },
    201,
  ));
  const [first] = await waitFor('the first attempt to ask the model', async () => {
    const runs = await runsOf(incident);
    return runs[0]?.status === 'running' && recordedModel.requests.length > 0 ? runs : undefined;
  });
  const worker = Number(/-(\d+)-[^-]+$/.exec(first!.worker_id ?? '')?.[1]);
  expect(worker, `worker id ${first!.worker_id}`).toBeGreaterThan(0);
  process.kill(worker, 'SIGKILL');
  const runs = await waitFor('the second attempt to finish', async () => {
    const list = await runsOf(incident);
    return list[1]?.status === 'completed' || list[1]?.status === 'failed' ? list : undefined;
  });
  expect(
    runs.map((run) => [run.attempt, run.status]),
    'the run took two attempts',
  ).toEqual([
    [1, 'failed'],
    [2, 'completed'],
  ]);

  ({ context: adminContext, page: admin } = await openDashboard(browser, {
    viewport: { width: 1280, height: 1000 },
  }));
  collectPageErrors(admin, pageErrors);
  await logIn(admin, akmatori.url, ADMIN);
}, 240_000);

afterAll(async () => {
  await adminContext?.close();
  await browser?.close();
  await akmatori?.stop();
  await recordedModel?.close();
  await changedModel?.close();
  await sshd?.stop();
});

describe('replay on the incident page', () => {
  it("replays the run's last attempt from its recording and shows it reproduced the run", async () => {
    const sessionsBefore = sshdSessions();
    const requestsBefore = recordedModel.requests.length;
    await admin.goto(`${akmatori.url}/incidents/${incident}`);
    await admin.getByRole('tab', { name: 'Replay' }).click();
    const panel = admin.locator('#incident-panel-replay');
    const choice = panel.getByLabel('Run', { exact: true });
    await expect
      .poll(() => choice.locator('option').allInnerTexts())
      .toEqual([expect.stringMatching(/^Investigation of .* · completed · 2 attempts$/)]);
    await panel.getByRole('button', { name: 'Replay' }).click();
    const outcome = panel.getByTestId('replay-outcome');
    await outcome.waitFor({ timeout: RUN_STEP_MS });
    expect(await outcome.innerText()).toContain(
      'Attempt 2 of 2 replayed from its recording: completed',
    );
    expect(await panel.getByTestId('replay-identical').innerText()).toContain(
      'the same tool calls and the same report',
    );
    expect(await panel.getByTestId('replay-differences').innerText()).toContain(
      '2 tool calls in the run, 2 in the replay',
    );
    expect(recordedModel.requests, 'the model was not asked again').toHaveLength(requestsBefore);
    expect(sshdSessions(), 'sshd started no session for the replay').toBe(sessionsBefore);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('replays with the configured model and the edited skill, and shows what differs as text', async () => {
    await akmatori.api('PUT', '/api/skills/disk-filling-up', { content: EDITED_SKILL });
    changedModel = await startScriptedModel([
      [mcp('akmatori', 'web__execute_command', { command: 'uname -s' })],
      [mcp('akmatori', 'web__execute_command', { command: 'df -h' })],
      [message(report(HOSTILE_ROOT_CAUSE))],
    ]);
    await akmatori.useModel(changedModel);
    const sessionsBefore = sshdSessions();
    const panel = admin.locator('#incident-panel-replay');
    await panel.getByText("With the configured model and today's skills", { exact: true }).click();
    await panel.getByRole('button', { name: 'Replay' }).click();
    const outcome = panel.getByTestId('replay-outcome');
    await expect
      .poll(() => outcome.innerText(), { timeout: RUN_STEP_MS })
      .toContain(
        'Attempt 2 of 2 replayed with the configured model and the skills as they are now: completed',
      );
    expect(
      JSON.stringify(changedModel.requests[0]?.body),
      'the agent got the skill as it is now',
    ).toContain('Edited after the incident');
    const calls = panel.getByTestId('replay-tool-calls').locator('li');
    expect(await calls.allInnerTexts()).toEqual([
      expect.stringMatching(
        /^~\s*web__execute_command\s*{"command":"echo recorded-evidence"}\s*→\s*{"command":"df -h"}$/,
      ),
    ]);
    expect(await panel.getByTestId('replay-differences').innerText()).toContain(
      '1 not in the recording',
    );
    const rootCause = panel.getByTestId('replay-section-rootCause');
    expect(await rootCause.locator('h4').innerText()).toBe('Root cause');
    expect(await rootCause.locator('pre').allInnerTexts()).toEqual([
      'Disk filled by logs.',
      HOSTILE_ROOT_CAUSE,
    ]);
    expect(await panel.locator('img').count(), 'the report text made no element').toBe(0);
    expect(await admin.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(sshdSessions(), 'sshd started no session for the replay').toBe(sessionsBefore);
    expect(pageErrors).toEqual([]);
    // The run's start time (in the run choice) changes from run to run; the picture stays.
    await saveScreenshot(admin, path.join(SCREENSHOTS, 'replay.png'), {
      ignore: [panel.locator('select')],
    });
  }, 120_000);

  it('is not offered to a responder, whom the API refuses', async () => {
    const { context, page } = await openDashboard(browser, {
      viewport: { width: 1280, height: 1000 },
    });
    try {
      await logIn(page, akmatori.url, RESPONDER);
      await page.goto(`${akmatori.url}/incidents/${incident}`);
      // The follow-up box is a responder's: once it shows, the page knows the role.
      await page.getByLabel('Follow-up question').waitFor();
      expect(await page.getByRole('tab').allInnerTexts()).not.toContain('Replay');
      expect(await page.locator('#incident-panel-replay').count()).toBe(0);
      const run = (await runsOf(incident))[1]!;
      const refused = await page.evaluate(async (id) => {
        const session = JSON.parse(sessionStorage.getItem('akmatori.session') ?? '{}') as {
          token?: string;
        };
        const response = await fetch(`/api/runs/${id}/replay`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${session.token}`,
            'content-type': 'application/json',
          },
          body: '{}',
        });
        return response.status;
      }, run.id);
      expect(refused).toBe(403);
    } finally {
      await context.close();
    }
  }, 60_000);
});
