import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  mcp,
  message,
  reasoning,
  slow,
  startScriptedModel,
  type ScriptedModel,
} from '@akmatori/runner-codex/testing';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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

// Investigations in the dashboard, end to end: `akmatori serve` (API, gateway, embedded worker
// driving the real codex binary) with a scripted model on loopback and a real sshd behind the
// SSH tool, watched and driven in Debian's Chromium by a responder. One server and one model
// for the whole file: the model answers its requests in order, so the tests run in order and
// each waits for its run to end before the next one starts one.

/** Where the screenshots the README and docs show are written. */
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/** How long one step of a run may take to show (codex starting, a tool call) on a busy CI machine. */
const RUN_STEP_MS = 90_000;

const RESPONDER = { username: 'rita', password: 'investigation e2e password' };

const RETRY_REPORT = [
  '## Summary',
  'Checkout errors came from an expired database password.',
  '## Root cause',
  'The password of the `checkout` role expired at midnight.',
  '## Evidence',
  '- The checkout log shows `password authentication failed`.',
  '## Confidence',
  'medium',
].join('\n');

const DISK_REPORT = [
  '## Summary',
  'The disk of web-1 filled with logs.',
  '## Root cause',
  'Log rotation stopped after the **logrotate** package upgrade.',
  '## Evidence',
  '- `uname -s` printed `Linux`',
  '- `/var/log/nginx` holds 40 GB of unrotated logs',
  '## Actions taken',
  'Created a marker file after approval; the cleanup was denied.',
  '## Confidence',
  'high',
].join('\n');

const ANSWER = 'Follow-up: the disk is at 40% now and rotation runs hourly.';

/** A report that tries everything an agent (or what it read) could slip into markdown. */
const HOSTILE_REPORT = [
  '## Root cause',
  'Someone pasted this into a log line:',
  '<script>window.pwned = "script"</script>',
  '<img src=x onerror="window.pwned = \'img\'">',
  '[click for details](javascript:window.pwned=%22link%22)',
  '<a href="javascript:window.pwned = \'anchor\'">raw anchor</a>',
  '<iframe src="javascript:window.pwned = \'iframe\'"></iframe>',
  '## Evidence',
  '- [the runbook](https://runbooks.example.com/disk)',
  '## Confidence',
  'low',
].join('\n');
const HOSTILE_TITLE = '<script>window.pwned = "title"</script><b onclick="x()">Disk</b> alert';

// Fixed paths, so the screenshots show the same commands every run.
const approvedFile = '/tmp/akmatori-e2e-logs-marker';
const deniedFile = '/tmp/akmatori-e2e-logs-cleanup';

let sshd: RunningSshd;
let model: ScriptedModel;
let akmatori: SpawnedAkmatori;
let browser: Browser;
/** Two responders' sessions: one watches the incident, the other works the approvals inbox. */
let watcherContext: BrowserContext;
let inboxContext: BrowserContext;
let watcher: Page;
let inbox: Page;

/** What the page logged as an error (a CSP violation, say) or threw. */
const pageErrors: string[] = [];

/** What the tests read in the page (evaluated in Chromium, where these are globals). */
interface InPage {
  notReloaded?: boolean;
  pwned?: string;
}

interface RunView {
  id: string;
  kind: string;
  status: string;
}

beforeAll(async () => {
  rmSync(approvedFile, { force: true });
  rmSync(deniedFile, { force: true });
  [sshd, model, browser] = await Promise.all([
    startSshd(),
    // The n-th turn answers the n-th model request of the whole file, in test order.
    startScriptedModel([
      // Re-investigation of the incident whose first run failed (no LLM then).
      [reasoning('Reading the checkout logs again.'), message(RETRY_REPORT)],
      // The disk investigation: a read, an approved write, a denied write, the report.
      [
        reasoning('Looking at the disk of web-1.'),
        mcp('akmatori', 'web__execute_command', { command: 'uname -s' }),
      ],
      [
        message('web-1 runs Linux; leaving a marker before cleaning up.'),
        mcp('akmatori', 'web__execute_command', { command: `touch ${approvedFile}` }),
      ],
      [mcp('akmatori', 'web__execute_command', { command: `touch ${deniedFile}` })],
      [message(DISK_REPORT)],
      // The follow-up asked in the composer.
      [message(ANSWER)],
      // The investigation cancelled from the page: it thinks, then waits far longer than the
      // test does; the cancel cuts it off.
      [reasoning('Collecting the queue metrics.'), slow(120_000), message('Too late.')],
      // The alert with a hostile title, and its hostile report.
      [message(HOSTILE_REPORT)],
    ]),
    sharedBrowser(),
  ]);
  // No LLM configured at first: the first incident's investigation fails.
  akmatori = await startAkmatori({ GATEWAY_PORT: '0', AKMATORI_WORKER_CAPACITY: '2' });
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
  await akmatori.api('POST', '/api/users', { ...RESPONDER, role: 'responder' }, 201);
  await akmatori.workerConnected();

  ({ context: watcherContext, page: watcher } = await openDashboard(browser, {
    viewport: { width: 1280, height: 900 },
  }));
  ({ context: inboxContext, page: inbox } = await openDashboard(browser, {
    viewport: { width: 1280, height: 900 },
  }));
  for (const page of [watcher, inbox]) collectPageErrors(page, pageErrors);
  await Promise.all([
    logIn(watcher, akmatori.url, RESPONDER),
    logIn(inbox, akmatori.url, RESPONDER),
  ]);
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await watcherContext?.close();
  await inboxContext?.close();
  await browser?.close();
  await akmatori?.stop();
  await model?.close();
  await sshd?.stop();
  rmSync(approvedFile, { force: true });
  rmSync(deniedFile, { force: true });
});

/** Waits for `what`, failing with the server's log tail. */
function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = RUN_STEP_MS,
): Promise<T> {
  return pollUntil(what, async () => probe(), { timeoutMs, intervalMs: 200 }).catch(
    (error: Error) => {
      throw new Error(
        `${error.message}\nAkmatori's log (tail):\n${akmatori.output().slice(-5000)}`,
      );
    },
  );
}

async function runsOf(incident: string): Promise<RunView[]> {
  return (await akmatori.api<{ data: RunView[] }>('GET', `/api/incidents/${incident}/runs`)).data;
}

/** Waits until every run of `incident` has ended; resolves with them, oldest first. */
function runsEnded(incident: string, count: number): Promise<RunView[]> {
  return waitFor(`${count} ended run(s) of incident ${incident}`, async () => {
    const runs = await runsOf(incident);
    return runs.length === count &&
      runs.every((run) => !['pending', 'running', 'queued'].includes(run.status))
      ? runs
      : undefined;
  });
}

/** The timeline entry of `kind` (message, reasoning, command, tool, approval, run…) holding `text`. */
function entry(page: Page, kind: string, text: string | RegExp): Locator {
  return page
    .getByTestId('run-timeline')
    .locator(`article[data-kind="${kind}"]`)
    .filter({ hasText: text });
}

/** Marks the page so a reload (which would forget the mark) is caught. */
async function markNotReloaded(page: Page): Promise<void> {
  await page.evaluate(() => ((globalThis as unknown as InPage).notReloaded = true));
}
async function notReloaded(page: Page): Promise<boolean | undefined> {
  return page.evaluate(() => (globalThis as unknown as InPage).notReloaded);
}

async function openIncident(page: Page, uuid: string): Promise<void> {
  await page.goto(`${akmatori.url}/incidents/${uuid}`);
  await page.getByTestId('incident-title').waitFor();
  await page.getByTestId('live-status').getByText('Live').waitFor();
}

describe('investigations in the dashboard', () => {
  it('re-investigates an incident whose first run failed, and the new run streams in and succeeds', async () => {
    const { uuid } = await akmatori.api<{ uuid: string }>(
      'POST',
      '/api/incidents',
      { title: 'Checkout returns 500s', task: 'Find out why checkout fails.', severity: 'high' },
      201,
    );
    await runsEnded(uuid, 1);
    await openIncident(watcher, uuid);
    const state = watcher.getByTestId('investigation-state');
    await expect.poll(() => state.textContent()).toContain('Investigation failed');
    await entry(watcher, 'error', 'Run failed').waitFor();
    await markNotReloaded(watcher);

    // Now the LLM is configured, and the responder retries from the page.
    await akmatori.useModel(model);
    await watcher.getByTestId('action-investigate').click();
    await entry(watcher, 'reasoning', 'Reading the checkout logs again.').waitFor({
      timeout: RUN_STEP_MS,
    });
    await entry(watcher, 'message', 'expired database password').waitFor({ timeout: RUN_STEP_MS });
    await entry(watcher, 'run', 'Run completed').waitFor({ timeout: RUN_STEP_MS });
    await expect.poll(() => state.textContent(), { timeout: 30_000 }).toContain('Investigated');
    expect(await notReloaded(watcher)).toBe(true);

    const runs = await runsEnded(uuid, 2);
    expect(runs.map((run) => run.status)).toEqual(['failed', 'completed']);
    // On a wide screen the report stands beside the timeline as soon as there is one.
    const report = watcher
      .getByRole('complementary', { name: 'Report' })
      .getByTestId('incident-report');
    await report.getByRole('heading', { name: 'Root cause' }).waitFor();
    expect(await report.textContent()).toContain('The password of the checkout role expired');
  }, 240_000);

  let disk: string;

  it('streams an investigation live, and a write command waits in the inbox until approved there', async () => {
    // The inbox is open before anything asks for approval: its badge and list update live.
    await inbox.getByRole('navigation', { name: 'Main' }).getByText('Approvals').click();
    await inbox.getByRole('heading', { name: 'Pending (0)' }).waitFor();
    await inbox.getByTestId('live-status').getByText('Live').waitFor();
    await markNotReloaded(inbox);
    expect(await inbox.getByTestId('pending-approvals-badge').count()).toBe(0);

    // The watcher sits on the incidents list; the new incident shows up there by itself.
    await watcher.goto(`${akmatori.url}/incidents`);
    await watcher.getByTestId('live-status').getByText('Live').waitFor();
    await markNotReloaded(watcher);
    ({ uuid: disk } = await akmatori.api<{ uuid: string }>(
      'POST',
      '/api/incidents',
      {
        title: 'Disk filling up on web-1',
        task: 'Find out why the disk of web-1 fills up and free some space.',
        severity: 'critical',
      },
      201,
    ));
    await watcher.getByRole('link', { name: 'Disk filling up on web-1' }).click();
    await watcher.waitForURL(`**/incidents/${disk}`);

    // Up to the write, the run streams into the open page: reasoning, the read command with
    // its arguments and output, the agent's message, the approval asked.
    await entry(watcher, 'reasoning', 'Looking at the disk of web-1.').waitFor({
      timeout: RUN_STEP_MS,
    });
    const read = entry(watcher, 'tool', 'uname -s');
    await read.waitFor({ timeout: RUN_STEP_MS });
    await expect.poll(() => read.textContent(), { timeout: 30_000 }).toContain('Linux');
    await entry(watcher, 'message', 'leaving a marker before cleaning up').waitFor({
      timeout: RUN_STEP_MS,
    });

    // The inbox: the badge counts it, the card says what, where, for which incident, how long.
    const badge = inbox.getByTestId('pending-approvals-badge');
    await expect.poll(() => badge.textContent(), { timeout: RUN_STEP_MS }).toContain('1');
    const card = inbox.getByTestId('pending-approvals').getByTestId('approval-card');
    await card.filter({ hasText: `touch ${approvedFile}` }).waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('web-1');
    expect(text).toContain(disk.slice(0, 8));
    expect(await card.getByTestId('time-left').textContent()).toMatch(/\d/);
    expect(existsSync(approvedFile), 'nothing runs before the approval').toBe(false);
    await expect
      .poll(() => watcher.getByTestId('investigation-state').textContent())
      .toContain('Investigating');
    // Ids and the time left differ from run to run: they alone do not make a new picture.
    await saveScreenshot(inbox, path.join(SCREENSHOTS, 'approvals.png'), {
      ignore: [
        card.getByRole('link'),
        card.locator('dd').filter({ hasText: /^run / }),
        card.getByTestId('time-left'),
      ],
    });
    // The watcher's timeline shows the approval asked for, still pending.
    const asked = entry(watcher, 'approval', 'Approval asked').filter({
      hasText: `touch ${approvedFile}`,
    });
    await expect.poll(() => asked.textContent(), { timeout: 30_000 }).toContain('pending');

    await card.getByRole('button', { name: 'Approve' }).click();
    await waitFor('the approved command to have run', () =>
      existsSync(approvedFile) ? true : undefined,
    );
    const decided = inbox.getByTestId('decided-approvals').getByTestId('approval-card');
    await decided.filter({ hasText: `touch ${approvedFile}` }).waitFor();
    expect(await decided.first().textContent()).toContain('rita');
    expect(await notReloaded(inbox)).toBe(true);

    // The watcher's page, never reloaded, shows the write going on.
    await entry(watcher, 'tool', `touch ${approvedFile}`).waitFor({ timeout: RUN_STEP_MS });
    await entry(watcher, 'approval', 'Approved by rita').waitFor({ timeout: 30_000 });
    expect(await asked.textContent()).toContain('approved');
    expect(await notReloaded(watcher)).toBe(true);
  }, 240_000);

  it('denies the next write with a reason, and the investigation reports', async () => {
    const card = inbox.getByTestId('pending-approvals').getByTestId('approval-card');
    const pending = card.filter({ hasText: `touch ${deniedFile}` });
    await pending.waitFor({ timeout: RUN_STEP_MS });
    await pending.getByLabel('Reason').fill('Not during the sale.');
    await pending.getByRole('button', { name: 'Deny' }).click();
    const denied = inbox
      .getByTestId('decided-approvals')
      .getByTestId('approval-card')
      .filter({ hasText: `touch ${deniedFile}` });
    await denied.waitFor();
    expect(await denied.textContent()).toContain('Not during the sale.');
    expect(await denied.textContent()).toContain('denied');
    await inbox.getByRole('heading', { name: 'Pending (0)' }).waitFor();
    await expect.poll(() => inbox.getByTestId('pending-approvals-badge').count()).toBe(0);

    const refusal = entry(watcher, 'approval', 'Denied by rita');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toContain('Not during the sale.');

    // The report arrives in the watcher's page.
    await entry(watcher, 'run', 'Run completed').waitFor({ timeout: RUN_STEP_MS });
    await expect
      .poll(() => watcher.getByTestId('investigation-state').textContent(), { timeout: 30_000 })
      .toContain('Investigated');
    expect(existsSync(deniedFile), 'the denied command did not run').toBe(false);
    const report = watcher.getByTestId('incident-report');
    await report.getByRole('heading', { name: 'Root cause' }).waitFor();
    await report.getByRole('heading', { name: 'Evidence' }).waitFor();
    await report.getByRole('heading', { name: 'Confidence' }).waitFor();
    expect(await report.locator('strong').textContent()).toBe('logrotate');
    expect(await report.locator('li').count()).toBe(2);

    // The audit lists the three calls with their decisions.
    await watcher.getByRole('tab', { name: 'Tool calls' }).click();
    const audit = watcher.getByTestId('tool-call-audit');
    const row = (command: string): Locator => audit.getByRole('row').filter({ hasText: command });
    await row('uname -s').waitFor();
    expect(await row('uname -s').textContent()).toContain('allowed');
    expect(await row(`touch ${approvedFile}`).textContent()).toContain('approved');
    expect(await row(`touch ${deniedFile}`).textContent()).toContain('denied');
    expect(await notReloaded(watcher)).toBe(true);

    await watcher.getByRole('tab', { name: 'Timeline' }).click();
    await entry(watcher, 'run', 'Run completed').waitFor();
    // Back on the timeline, it shows its end (it follows new steps, also while hidden).
    const scroller = watcher.getByTestId('run-timeline');
    await expect
      .poll(() =>
        scroller.evaluate(
          (element) => element.scrollHeight - element.scrollTop - element.clientHeight,
        ),
      )
      .toBeLessThan(2);
    await saveScreenshot(watcher, path.join(SCREENSHOTS, 'incident-detail.png'), {
      ignore: [watcher.locator('.timeline-entry__time')],
    });
  }, 240_000);

  it('sends a follow-up from the composer and shows the answer as it arrives', async () => {
    await watcher.getByLabel('Follow-up question').fill('Is the disk still filling up?');
    await watcher.getByRole('button', { name: 'Send' }).click();
    await entry(watcher, 'message', ANSWER).waitFor({ timeout: RUN_STEP_MS });
    const runs = await runsEnded(disk, 2);
    expect(runs.map((run) => [run.kind, run.status])).toEqual([
      ['investigation', 'completed'],
      ['follow_up', 'completed'],
    ]);
    expect(JSON.stringify(model.requests.at(-1)?.body)).toContain('Is the disk still filling up?');
    expect(await watcher.getByLabel('Follow-up question').inputValue()).toBe('');
    expect(await notReloaded(watcher)).toBe(true);
  }, 180_000);

  it('cancels a running investigation from the page', async () => {
    const { uuid } = await akmatori.api<{ uuid: string }>(
      'POST',
      '/api/incidents',
      {
        title: 'Queue backlog on worker-3',
        task: 'Find out why the queue grows.',
        severity: 'warning',
      },
      201,
    );
    await openIncident(watcher, uuid);
    await entry(watcher, 'reasoning', 'Collecting the queue metrics.').waitFor({
      timeout: RUN_STEP_MS,
    });
    await watcher.getByTestId('action-cancel').click();
    await expect
      .poll(() => watcher.getByTestId('investigation-state').textContent(), { timeout: 30_000 })
      .toContain('Cancelled');
    const [run] = await runsEnded(uuid, 1);
    expect(run?.status).toBe('cancelled');
    await watcher.getByTestId('action-investigate').waitFor();
    expect(await watcher.getByTestId('action-cancel').count()).toBe(0);
  }, 180_000);

  it('shows an alert with a hostile title and a hostile report as inert text', async () => {
    const source = await akmatori.createSource({
      source_type_name: 'alertmanager',
      name: 'am',
      allow_unauthenticated: true,
      grouping_window_seconds: 0,
    });
    const sent = await fetch(akmatori.webhookUrl(source), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '4',
        status: 'firing',
        receiver: 'akmatori',
        groupKey: '{}:{alertname="DiskFull"}',
        groupLabels: { alertname: 'DiskFull' },
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example.com',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'DiskFull', instance: 'web-1', severity: 'critical' },
            annotations: { summary: HOSTILE_TITLE, runbook_url: 'javascript:window.pwned=1' },
            startsAt: new Date().toISOString(),
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'javascript:window.pwned=2',
            fingerprint: 'a1b2c3d4e5f60718',
          },
        ],
      }),
    });
    expect(sent.status).toBeLessThan(300);
    const { incident } = await akmatori.waitForIncident(
      source,
      'the hostile alert’s incident',
      () => true,
    );
    expect(incident.title).toBe(HOSTILE_TITLE);
    await runsEnded(incident.uuid, 1);

    await openIncident(watcher, incident.uuid);
    const title = watcher.getByTestId('incident-title');
    await expect.poll(() => title.textContent()).toBe(HOSTILE_TITLE);
    expect(await title.locator('*').count()).toBe(0);
    // On a narrower screen the report is a tab of its own.
    await watcher.setViewportSize({ width: 1000, height: 900 });
    await watcher.getByRole('tab', { name: 'Report' }).click();
    const report = watcher.getByRole('tabpanel', { name: 'Report' }).getByTestId('incident-report');
    await report.getByRole('heading', { name: 'Root cause' }).waitFor();
    expect(await report.locator('script, iframe, img[onerror], [onclick]').count()).toBe(0);
    // The safe link stays a link; the javascript: ones are not links at all.
    expect(await report.getByRole('link', { name: 'the runbook' }).getAttribute('href')).toBe(
      'https://runbooks.example.com/disk',
    );
    expect(await report.locator('a[href^="javascript:" i]').count()).toBe(0);
    await report.getByText('click for details').click();
    await report.getByText('raw anchor').click();
    await watcher.getByText(/^Alerts \(\d+\)$/).click();
    await watcher.getByTestId('incident-alert').first().waitFor();
    expect(await watcher.locator('a[href^="javascript:" i], script:not([src])').count()).toBe(0);
    expect(await watcher.evaluate(() => (globalThis as unknown as InPage).pwned)).toBeUndefined();
  }, 180_000);

  it('raised no script error and no CSP violation on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
