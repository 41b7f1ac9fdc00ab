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

const PASSWORD = 'keyboard e2e password';

let server: DashboardServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The incidents' titles, newest (first in the list) first. */
const titles = ['Keyboard third', 'Keyboard second', 'Keyboard first'];
const uuidOf = new Map<string, string>();
/** What the page logged as an error (a CSP violation, say) or threw. */
const pageErrors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startDashboardServer('akm-keyboard-e2e-', { ADMIN_PASSWORD: PASSWORD }),
    sharedBrowser(),
  ]);
  const session = await logInToApi(server.url, { username: 'admin', password: PASSWORD });
  for (const title of [...titles].reverse()) {
    const incident = await apiCall<{ uuid: string }>(
      server.url,
      session.token,
      'POST',
      '/api/incidents',
      { title, task: `Look into ${title}` },
      201,
    );
    uuidOf.set(title, incident.uuid);
  }
  // Logged in as the dashboard keeps a session: in this tab's sessionStorage.
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
