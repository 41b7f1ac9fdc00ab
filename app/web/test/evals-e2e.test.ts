import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRepositories, openEmbedded } from '@akmatori/host';
import { storeEvalRun, type EvalResultToStore } from 'akmatori';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPageErrors,
  logInToApi,
  openDashboard,
  startDashboardServer,
  type DashboardServer,
} from '@akmatori/test-support/web/dashboard-session';
import { sharedBrowser } from './support/shared-browser.js';

// Two eval runs are stored through storeEvalRun (as `akmatori eval run` stores them) into the
// server's embedded database before it starts, the second after an edit to the skill's
// references: the Evals page shows the scorecards, the skill's two versions side by side with
// the scenario that went from pass to fail, and a run's checks, with untrusted text as text.

const PASSWORD = 'evals e2e password';

let server: DashboardServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let skills: string;
const pageErrors: string[] = [];

function evalResult(
  startedAt: string,
  outcomes: Record<string, boolean>,
  model = 'gpt-test-1',
): EvalResultToStore {
  return {
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 90_000).toISOString(),
    model,
    endpoint: 'https://llm.example:8443/v1',
    scenarios: Object.entries(outcomes).map(([id, passed]) => ({
      scenarioId: id,
      title: `Disk scenario ${id}`,
      skills: ['disk-filling-up'],
      runs: [
        {
          attempt: 1,
          passed,
          checks: [
            {
              id: 'root_cause',
              title: 'The report names the root cause',
              passed,
              detail: passed ? 'named /var/log/app.log' : '<img src=x onerror=alert(1)> blamed DNS',
            },
            { id: 'budget_tokens', title: 'Tokens within budget', passed: true, detail: '9000' },
          ],
          error: null,
          usage: { totalTokens: 9000, costUsd: 0.0213, toolCalls: 4 },
          wallTimeMs: 30_000,
        },
      ],
    })),
  };
}

beforeAll(async () => {
  skills = await mkdtemp(path.join(tmpdir(), 'akm-evals-e2e-skills-'));
  const skill = path.join(skills, 'disk-filling-up');
  await mkdir(path.join(skill, 'references'), { recursive: true });
  await writeFile(path.join(skill, 'SKILL.md'), '---\nname: disk-filling-up\n---\nRun df.\n');
  await writeFile(path.join(skill, 'references', 'hints.md'), 'Look at /var/log.\n');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'akm-evals-e2e-'));
  const db = await openEmbedded({ dataDir });
  try {
    await db.migrate();
    const { evalScorecards } = createRepositories(db);
    const directories = { skillDirectories: { 'disk-filling-up': skill } };
    await storeEvalRun(
      evalScorecards,
      evalResult('2026-12-01T10:00:00Z', { 'var-full': true, 'inodes-full': true }),
      directories,
    );
    await writeFile(path.join(skill, 'references', 'hints.md'), 'Look at /tmp only.\n');
    await storeEvalRun(
      evalScorecards,
      evalResult('2026-12-02T10:00:00Z', { 'var-full': true, 'inodes-full': false }),
      directories,
    );
  } finally {
    await db.close();
  }
  [server, browser] = await Promise.all([
    startDashboardServer('akm-evals-e2e-', { ADMIN_PASSWORD: PASSWORD }, dataDir),
    sharedBrowser(),
  ]);
  const session = await logInToApi(server.url, { username: 'admin', password: PASSWORD });
  ({ context, page } = await openDashboard(browser, {
    viewport: { width: 1280, height: 1100 },
    session,
  }));
  collectPageErrors(page, pageErrors);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.dispose();
  await rm(skills, { recursive: true, force: true });
});

describe('the Evals page', () => {
  it('shows the scorecard per model and per skill version from the navigation', async () => {
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('link', { name: 'Evals' }).first().click();
    const models = page.getByTestId('model-scorecards');
    await models.getByText('gpt-test-1').waitFor();
    await expect.poll(() => models.locator('tbody tr').first().innerText()).toMatch(/3 of 4/);
    expect(await models.locator('tbody tr').first().innerText()).toContain('75%');
    const versions = page.getByTestId('skill-version-scorecards').locator('tbody tr');
    await expect.poll(() => versions.count()).toBe(2);
    expect(await versions.nth(0).innerText()).toMatch(/1 of 2/);
    expect(await versions.nth(1).innerText()).toMatch(/2 of 2/);
  }, 60_000);

  it("puts a skill's versions side by side with the scenario that went from pass to fail", async () => {
    await page
      .getByTestId('skill-version-scorecards')
      .getByRole('button', { name: 'disk-filling-up' })
      .first()
      .click();
    const comparison = page.getByTestId('skill-version-comparison');
    await comparison.waitFor();
    expect(await comparison.locator('thead th').count()).toBe(3);
    const inodes = comparison.locator('tbody tr', { hasText: 'inodes-full' });
    expect(await inodes.locator('td').allInnerTexts()).toEqual(['pass', 'fail']);
    expect(await comparison.locator('.changes li').allInnerTexts()).toEqual([
      'inodes-full: pass → fail',
    ]);
  }, 60_000);

  it("opens a run's detail with each scenario's checks, untrusted text shown as text", async () => {
    await page.getByTestId('skill-version-comparison').getByText('fail').first().click();
    const failed = page.getByTestId('attempt-inodes-full-1');
    await failed.waitFor();
    expect(await failed.innerText()).toContain('<img src=x onerror=alert(1)> blamed DNS');
    expect(await failed.locator('img').count()).toBe(0);
    expect(await failed.innerText()).toMatch(/failed/);
    expect(await page.getByTestId('eval-run-summary').innerText()).toMatch(
      /gpt-test-1 at llm\.example:8443.*50% passed/s,
    );
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
