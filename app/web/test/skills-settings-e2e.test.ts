import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { message, startScriptedModel, type ScriptedModel } from '@akmatori/runner-codex/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  collectPageErrors,
  logInToApi,
  openDashboard,
  startDashboardServer,
  type DashboardServer,
} from '@akmatori/test-support/web/dashboard-session';
import { saveScreenshot } from './support/screenshots.js';
import { sharedBrowser } from './support/shared-browser.js';

/** Where the screenshots the README and docs show are written. */
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const PASSWORD = 'skills settings e2e password';
const LLM_KEY = 'sk-e2e-key-the-page-must-never-show';

let server: DashboardServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let model: ScriptedModel | undefined;
let token: string;
/** What the page logged as an error (a CSP violation, say) or threw. */
const pageErrors: string[] = [];
/** Globals the hostile skill text would set if any of it ran. */
interface InPage {
  xss?: number;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startDashboardServer('akm-skills-settings-e2e-', { ADMIN_PASSWORD: PASSWORD }),
    sharedBrowser(),
  ]);
  ({ token } = await logInToApi(server.url, { username: 'admin', password: PASSWORD }));
  ({ context, page } = await openDashboard(browser, {
    viewport: { width: 1280, height: 760 },
    colorScheme: 'light',
  }));
  collectPageErrors(page, pageErrors);
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await model?.close();
  await server?.dispose();
});

// A failed step says where the page was and what it showed.
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || page === undefined) return;
  const text = await page
    .locator('body')
    .innerText({ timeout: 2_000 })
    .catch(() => '');
  console.error(`page at ${page.url()} showed:\n${text.slice(0, 2_000)}`);
});

/** Calls the API as the admin; throws unless it answers `expected`. */
const api = <T>(method: string, route: string, body?: unknown, expected?: number): Promise<T> =>
  apiCall<T>(server.url, token, method, route, body, expected);

/** Drops files on the context-file drop zone, as a drag from the desktop would. */
async function dropFiles(files: { name: string; type: string; text: string }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    `(() => {
      const transfer = new DataTransfer();
      for (const file of ${JSON.stringify(files)})
        transfer.items.add(new File([file.text], file.name, { type: file.type }));
      return transfer;
    })()`,
  );
  await page.dispatchEvent('[data-testid=context-file-drop]', 'dragenter', { dataTransfer });
  await page.dispatchEvent('[data-testid=context-file-drop]', 'drop', { dataTransfer });
}

const skillText = (description: string): string =>
  `---\nname: e2e-disk-check\n${description}---\n\n# Disk check\n\n1. Run \`df -h\`.\n`;

describe('skills, context files and settings in Chromium', () => {
  it('logs the admin in', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/incidents');
  }, 60_000);

  it('writes a new skill: a problem shows up live while the frontmatter is wrong, and goes once fixed', async () => {
    await page.getByRole('link', { name: 'Skills' }).click();
    await page.getByTestId('skills-table').getByText('high-cpu').waitFor();
    await page.getByRole('link', { name: 'New skill' }).click();
    await page.waitForURL('**/skills/new');

    const editor = page.locator('#skill-md');
    await editor.fill(skillText(''));
    const problems = page.getByTestId('skill-problems');
    await problems.getByText('description').first().waitFor();
    expect(await page.getByRole('button', { name: 'Create skill' }).isDisabled()).toBe(true);

    await editor.fill(
      skillText('description: Find what fills a disk. Use when a disk space alert fires.\n'),
    );
    await page.getByTestId('skill-validity').getByText('Valid', { exact: true }).waitFor();
    expect(await problems.count()).toBe(0);

    await page.getByRole('button', { name: 'Create skill' }).click();
    await page.waitForURL('**/skills/e2e-disk-check');
    const stored = await api<{ content: string; enabled: boolean }>(
      'GET',
      '/api/skills/e2e-disk-check',
    );
    expect(stored).toMatchObject({
      enabled: true,
      content: skillText(
        'description: Find what fills a disk. Use when a disk space alert fires.\n',
      ),
    });

    await page.getByRole('link', { name: '← Skills' }).click();
    const row = page.getByTestId('skills-table').locator('tr', { hasText: 'e2e-disk-check' });
    await row.getByText('Find what fills a disk.').waitFor();
    expect(
      await row
        .getByRole('switch', { name: 'e2e-disk-check enabled' })
        .getAttribute('aria-checked'),
    ).toBe('true');
    await saveScreenshot(page, path.join(SCREENSHOTS, 'skills.png'));
  }, 60_000);

  it("manages the skill's files and tools, and syncs from disk", async () => {
    const tool = await api<{ id: string }>(
      'POST',
      '/api/tools',
      {
        tool_type_name: 'ssh',
        name: 'e2e-fleet',
        settings: {
          hosts: [{ name: 'web-1', address: '127.0.0.1', user: 'ops', trust_on_first_use: true }],
          password: 'e2e-ssh-password',
        },
      },
      201,
    );
    // Loaded afresh: the tool instance was made outside this page.
    await page.goto(`${server.url}/skills/e2e-disk-check`);

    await page.locator('.n-tabs-tab', { hasText: 'Files' }).click();
    await page.getByText('No files in scripts/').waitFor();
    await page.locator('#skill-file-path').fill('scripts/check disk.sh');
    await page.locator('#skill-file-content').fill('#!/bin/sh\ndf -h /\n');
    await page.getByRole('button', { name: 'Save file' }).click();
    const file = page
      .getByTestId('skill-files')
      .locator('tr', { hasText: 'scripts/check disk.sh' });
    await file.getByRole('button', { name: 'View' }).click();
    await page.getByText('df -h /').waitFor();
    await page.keyboard.press('Escape');
    expect(
      await api<{ data: { path: string }[] }>('GET', '/api/skills/e2e-disk-check/files'),
    ).toEqual({ data: [{ path: 'scripts/check disk.sh', size: 18 }] });
    await file.getByRole('button', { name: 'Delete scripts/check disk.sh' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('No files in scripts/').waitFor();

    // An upload keeps its bytes (sent as base64) and is shown as binary, not as text.
    await page.getByLabel('Skill file to upload').setInputFiles({
      name: 'notes.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0, 1, 2, 255]),
    });
    const upload = page
      .getByTestId('skill-files')
      .locator('tr', { hasText: 'references/notes.bin' });
    await upload.getByRole('button', { name: 'View' }).click();
    await page.getByText('(binary file, 4 bytes: not shown)').waitFor();
    await page.keyboard.press('Escape');
    expect(
      await api<{ content: string; encoding: string }>(
        'GET',
        '/api/skills/e2e-disk-check/files/references/notes.bin',
      ),
    ).toMatchObject({ content: 'AAEC/w==', encoding: 'base64' });
    await upload.getByRole('button', { name: 'Delete references/notes.bin' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('No files in scripts/').waitFor();

    await page.locator('.n-tabs-tab', { hasText: 'Tools' }).click();
    await page.locator('.tools .n-base-selection').click();
    await page.getByText('e2e-fleet (ssh)').click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Save tools' }).click();
    await expect
      .poll(
        async () =>
          (await api<{ tool_instance_ids: string[] }>('GET', '/api/skills/e2e-disk-check'))
            .tool_instance_ids,
      )
      .toEqual([tool.id]);

    await page.getByRole('link', { name: '← Skills' }).click();
    const row = page.getByTestId('skills-table').locator('tr', { hasText: 'e2e-disk-check' });
    await row.getByText('e2e-fleet').waitFor();
    await page.getByRole('button', { name: 'Sync from disk' }).click();
    await page.getByTestId('sync-report').getByText('Nothing changed on disk.').waitFor();
  }, 60_000);

  it('shows a skill whose text holds a script and javascript: links as inert text', async () => {
    const hostile =
      '<script>window.xss = 1</script><img src=x onerror="window.xss = 2"> [open](javascript:window.xss=3)';
    await api(
      'POST',
      '/api/skills',
      { name: 'hostile-skill', description: hostile, prompt: `${hostile}\n` },
      201,
    );
    await page.reload();
    const row = page.getByTestId('skills-table').locator('tr', { hasText: 'hostile-skill' });
    await row.getByText('<script>window.xss = 1</script>', { exact: false }).waitFor();
    await row.getByRole('link', { name: 'hostile-skill' }).click();
    await page.waitForURL('**/skills/hostile-skill');
    await expect.poll(() => page.locator('#skill-md').inputValue()).toContain(hostile);
    await page.getByTestId('skill-validity').getByText('Valid', { exact: true }).waitFor();
    await page.locator('.n-tabs-tab', { hasText: 'Preview' }).click();
    const preview = page.getByTestId('skill-preview');
    await preview.getByText('<script>window.xss = 1</script>', { exact: false }).waitFor();
    expect(await preview.locator('a').count()).toBe(0);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as InPage).xss)).toBeUndefined();
  }, 60_000);

  it('uploads a context file dropped on the page, lists it, shows it, and deletes it', async () => {
    await page.getByRole('link', { name: 'Context files' }).click();
    await page.getByText('No context files yet').waitFor();
    await dropFiles([
      { name: 'runbook.md', type: 'text/markdown', text: '# Runbook\n\nRestart.\n' },
    ]);
    await page.getByTestId('uploaded').getByText('runbook.md').waitFor();
    const row = page.getByTestId('context-files-table').locator('tr', { hasText: 'runbook.md' });
    await row.getByText('20 B').waitFor();

    await row.getByRole('button', { name: 'View' }).click();
    await page.getByText('Restart.').waitFor();
    await page.keyboard.press('Escape');

    await dropFiles([
      { name: 'tool.exe', type: 'application/octet-stream', text: 'MZ' },
      { name: 'photo.png', type: 'image/png', text: 'not a png' },
    ]);
    const refused = page.getByTestId('upload-refused');
    await refused.getByText('.exe files are not accepted').waitFor();
    await refused.getByText('AKM_CONTEXT_FILE_CONTENT_MISMATCH').waitFor();

    await row.getByRole('button', { name: 'Delete runbook.md' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('No context files yet').waitFor();
    expect(await api<{ data: unknown[] }>('GET', '/api/context-files')).toEqual({ data: [] });
  }, 60_000);

  it('saves the LLM provider, shows the key only as set, and tests the provider', async () => {
    model = await startScriptedModel([[message('OK')]]);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('No LLM provider yet').waitFor();

    await page
      .locator('.n-form-item', { hasText: 'Provider' })
      .locator('.n-base-selection')
      .click();
    await page.getByText('OpenAI-compatible (vLLM').click();
    await page.locator('#llm-model').fill('e2e-model');
    await page.locator('#llm-base-url').fill(model.baseUrl);
    await page.locator('#llm-api-key').fill(LLM_KEY);
    await page.getByRole('button', { name: 'Save LLM settings' }).click();
    await page.getByTestId('secret-set').waitFor();
    expect(await page.locator('#llm-api-key').inputValue()).toBe('');

    await page.reload();
    await page.getByTestId('secret-set').waitFor();
    expect(await page.locator('#llm-model').inputValue()).toBe('e2e-model');
    expect(await page.content()).not.toContain(LLM_KEY);

    await page.getByRole('button', { name: 'Test the provider' }).click();
    await page.getByTestId('llm-test-result').getByText('The provider answered').waitFor();
    expect(model.requests[0]?.headers.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(await page.content()).not.toContain(LLM_KEY);
    // The picture only: the fake's port and the measured time change from run to run.
    await page.locator('#llm-base-url').evaluate((input) => {
      (input as unknown as { value: string }).value = 'http://127.0.0.1:8000/v1';
    });
    await page
      .getByTestId('llm-test-result')
      .getByText(/\(\d+ ms\)/)
      .evaluate((element) => {
        const shown = element as unknown as { textContent: string };
        shown.textContent = shown.textContent.replace(/\(\d+ ms\)/, '(42 ms)');
      });
    await saveScreenshot(page, path.join(SCREENSHOTS, 'settings.png'));
    await page.reload();
    await page.getByTestId('secret-set').waitFor();

    // Saved again with the key field left blank: the stored key is kept.
    await page.locator('#llm-model').fill('e2e-model-2');
    await page.getByRole('button', { name: 'Save LLM settings' }).click();
    await expect
      .poll(async () => (await api<{ model: string }>('GET', '/api/settings/llm')).model)
      .toBe('e2e-model-2');
    expect(await api('GET', '/api/settings/llm')).toMatchObject({ api_key: { set: true } });
  }, 60_000);

  it('saves a budget', async () => {
    await page.locator('.n-tabs-tab', { hasText: 'Budgets' }).click();
    await page.getByLabel('One run: USD').fill('2.5');
    await page.getByLabel('One run: USD').blur();
    await page.getByRole('button', { name: 'Save budgets' }).click();
    await expect
      .poll(async () => (await api<{ per_run: unknown }>('GET', '/api/settings/budgets')).per_run)
      .toMatchObject({ max_cost_usd: 2.5 });
  }, 60_000);

  it('raised no script error and no CSP violation on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
