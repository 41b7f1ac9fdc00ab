import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process.js';
import { sharedBrowser } from './support/shared-browser.js';

const PASSWORD = 'keyboard e2e password';

let dataDir: string;
let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The incidents' titles, newest (first in the list) first. */
const titles = ['Keyboard third', 'Keyboard second', 'Keyboard first'];
const uuidOf = new Map<string, string>();
const pageErrors: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'akm-keyboard-e2e-'));
  [server, browser] = await Promise.all([
    startServerProcess({
      AKMATORI_DATA_DIR: dataDir,
      ADMIN_PASSWORD: PASSWORD,
      AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'warn',
    }),
    sharedBrowser(),
  ]);
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const session = (await login.json()) as { token: string; expires_at: string };
  for (const title of [...titles].reverse()) {
    const response = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, task: `Look into ${title}` }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    uuidOf.set(title, ((await response.json()) as { uuid: string }).uuid);
  }
  context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  // Logged in as the dashboard keeps a session: in this tab's sessionStorage.
  await context.addInitScript(
    `sessionStorage.setItem('akmatori.session', ${JSON.stringify(JSON.stringify(session))});`,
  );
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  if (server !== undefined && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited();
  }
  if (dataDir !== undefined) {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-runs`, { recursive: true, force: true });
  }
});

/** The `data-incident-uuid` of the focused element, if it is an incident row. */
const focusedIncident = (): Promise<string | null> =>
  page.evaluate('document.activeElement?.getAttribute("data-incident-uuid") ?? null') as Promise<
    string | null
  >;

async function openList(): Promise<void> {
  await page.goto(`${server.url}/incidents?tab=all`);
  await page.getByRole('link', { name: titles[2] }).waitFor();
}

describe('keyboard shortcuts in Chromium', () => {
  it('moves through the incidents with j and k, shows the selection, and opens it with Enter', async () => {
    await openList();
    const row = (title: string) => page.locator(`[data-incident-uuid="${uuidOf.get(title)}"]`);
    await expect.poll(() => page.locator('[aria-selected="true"]').count()).toBe(0);

    await page.keyboard.press('j');
    await expect.poll(() => row(titles[0]!).getAttribute('aria-selected')).toBe('true');
    expect(await focusedIncident()).toBe(uuidOf.get(titles[0]!));
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(focusedIncident).toBe(uuidOf.get(titles[2]!));
    // At the end of the list j stays on the last row.
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect.poll(focusedIncident).toBe(uuidOf.get(titles[1]!));
    expect(await row(titles[1]!).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('[aria-selected="true"]').count()).toBe(1);

    await page.keyboard.press('Enter');
    await page.waitForURL(`**/incidents/${uuidOf.get(titles[1]!)}`);
    await page.getByRole('heading', { name: titles[1] }).waitFor();
  });

  it('goes to the approvals with g then a, and back to the incidents with g then i', async () => {
    await openList();
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await page.waitForURL('**/approvals');
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.waitForURL('**/incidents');
  });

  it('focuses the search with /, and lets what is typed there be text, not shortcuts', async () => {
    await openList();
    await page.keyboard.press('/');
    const search = page.getByLabel('Search incidents');
    await expect
      .poll(() => search.evaluate((input) => input === document.activeElement))
      .toBe(true);
    // The / itself was not typed into it.
    expect(await search.inputValue()).toBe('');
    await page.keyboard.type('jkga');
    expect(await search.inputValue()).toBe('jkga');
    expect(page.url()).toContain('/incidents');
    expect(await page.locator('[aria-selected="true"]').count()).toBe(0);
  });

  it('lists every shortcut in a help dialog on ?, and from the hint in the header', async () => {
    await openList();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const description of [
      'Go to incidents',
      'Go to approvals',
      'Show keyboard shortcuts',
      'Select the next incident',
      'Select the previous incident',
      'Open the selected incident',
      'Search incidents',
    ])
      await help.getByText(description).waitFor();
    // j in the dialog does not move the list behind it.
    await page.keyboard.press('j');
    expect(await page.locator('[aria-selected="true"]').count()).toBe(0);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.getByTestId('shortcut-hint').click();
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(pageErrors).toEqual([]);
  });
});
