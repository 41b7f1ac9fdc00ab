import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  collectPageErrors,
  logInToApi,
  openDashboard,
  startDashboardServer,
  type DashboardServer,
} from '@akmatori/test-support/web/dashboard-session';
import { sharedBrowser } from './support/shared-browser.js';

// With a second runner installed (the example scripted runner, loaded through
// AKMATORI_PLUGINS), the Settings page chooses the default runner and the source editor the
// runner of a source's incidents.

const PASSWORD = 'runner choice e2e password';

let server: DashboardServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startDashboardServer('akm-runner-choice-e2e-', {
      ADMIN_PASSWORD: PASSWORD,
      AKMATORI_PLUGINS: '@akmatori-examples/scripted-runner',
    }),
    sharedBrowser(),
  ]);
  const session = await logInToApi(server.url, { username: 'admin', password: PASSWORD });
  token = session.token;
  ({ context, page } = await openDashboard(browser, {
    viewport: { width: 1280, height: 760 },
    session,
  }));
  collectPageErrors(page, pageErrors);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.dispose();
});

async function choose(selectId: string, option: string): Promise<void> {
  await page.getByTestId(selectId).click();
  await page.locator('.n-base-select-option', { hasText: option }).first().click();
}

describe('choosing runners in the dashboard', () => {
  it('sets the default runner on the Settings page', async () => {
    await page.goto(`${server.url}/settings?tab=runner`);
    const select = page.getByTestId('runner-default');
    await select.getByText('OpenAI Codex (workers) (codex)').waitFor();
    await choose('runner-default', 'Scripted runbook (no LLM) (scripted-runbook)');
    await page.getByRole('button', { name: 'Save runner' }).click();
    await expect
      .poll(async () =>
        apiCall<{ default_runner: string }>(server.url, token, 'GET', '/api/settings/runner'),
      )
      .toMatchObject({ default_runner: 'scripted-runbook' });
  }, 60_000);

  it("sets a new source's runner in the source editor", async () => {
    await page.goto(`${server.url}/sources`);
    await page.getByRole('button', { name: 'New alert source' }).first().click();
    const editor = page.getByTestId('source-editor');
    await choose('source-type', 'Alertmanager');
    await page.locator('#source-name').fill('runner-choice');
    await editor.getByRole('button', { name: 'Generate' }).click();
    await editor.getByText('Default (scripted-runbook)').waitFor();
    await choose('source-runner', 'OpenAI Codex (workers) (codex)');
    await editor.getByRole('button', { name: 'Create source' }).click();
    await page.getByTestId('source-panel').waitFor();
    const sources = await apiCall<{ data: { name: string; runner: string | null }[] }>(
      server.url,
      token,
      'GET',
      '/api/alert-sources',
    );
    expect(sources.data).toEqual([
      expect.objectContaining({ name: 'runner-choice', runner: 'codex' }),
    ]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
