import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@akmatori/test-support/peers/process';
import { startSshd, type RunningSshd } from '@akmatori/test-support/peers/sshd';
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

/** Where the screenshots the docs show are written. */
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const PASSWORD = 'sources and tools e2e password';

let server: DashboardServer;
let sshd: RunningSshd;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token: string;
/** The webhook secret generated in the page when the source was created. */
let createdSecret: string;

/** What the page logged as an error (a CSP violation, say) or threw. */
const pageErrors: string[] = [];

beforeAll(async () => {
  // A port chosen here, so the webhook URL the API advertises is the one it listens on.
  const port = await freePort();
  [server, browser, sshd] = await Promise.all([
    startDashboardServer('akm-sources-tools-e2e-', {
      ADMIN_PASSWORD: PASSWORD,
      PORT: String(port),
    }),
    sharedBrowser(),
    startSshd(),
  ]);
  ({ context, page } = await openDashboard(browser, {
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
  }));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  collectPageErrors(page, pageErrors);
  mkdirSync(SCREENSHOTS, { recursive: true });

  ({ token } = await logInToApi(server.url, { username: 'admin', password: PASSWORD }));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sshd?.stop();
  await server?.dispose();
});

const api = <T>(route: string): Promise<T> => apiCall<T>(server.url, token, 'GET', route);

/**
 * Replaces what changes from run to run (ports, ids, generated secrets, host keys) in the
 * page's text and input values, so its screenshot changes only when the page does. Only the
 * picture is affected: the app's state is not.
 */
async function steadyPicture(page: Page, replacements: [string, string][]): Promise<void> {
  await page.evaluate((pairs) => {
    const swap = (text: string): string =>
      pairs.reduce((result, [from, to]) => result.replaceAll(from, to), text);
    const doc = (globalThis as unknown as { document: Document }).document;
    const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode())
      node.nodeValue = swap(node.nodeValue ?? '');
    for (const input of doc.querySelectorAll('input, textarea'))
      (input as HTMLInputElement).value = swap((input as HTMLInputElement).value);
  }, replacements);
  // Let the layout settle after the viewport changed: two frames, then the top of the page.
  await page.evaluate(async () => {
    const view = globalThis as unknown as {
      requestAnimationFrame(callback: () => void): void;
      scrollTo(x: number, y: number): void;
    };
    for (let frame = 0; frame < 2; frame += 1)
      await new Promise<void>((resolve) => view.requestAnimationFrame(resolve));
    view.scrollTo(0, 0);
  });
  await page.mouse.move(0, 0);
}

/** Picks an option of the naive-ui select whose input has this id. */
async function choose(selectId: string, option: string): Promise<void> {
  await page.getByTestId(selectId).click();
  await page.locator('.n-base-select-option', { hasText: option }).first().click();
}

describe('alert sources and tools in Chromium', () => {
  it('logs the admin in', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/incidents');
  }, 60_000);

  it('teaches how to connect Alertmanager while there is no source', async () => {
    await page.getByRole('link', { name: 'Sources' }).first().click();
    await page.waitForURL('**/sources');
    const empty = page.getByTestId('sources-empty');
    await empty.getByText('No alert source yet.').waitFor();
    expect(await empty.textContent()).toContain('alertmanager.yml');
  });

  it('creates an Alertmanager source whose copied URL and curl command deliver a webhook', async () => {
    await page.getByRole('button', { name: 'New alert source' }).first().click();
    const editor = page.getByTestId('source-editor');
    await choose('source-type', 'Alertmanager');
    await page.locator('#source-name').fill('prod-alertmanager');
    await editor.getByRole('button', { name: 'Generate' }).click();
    const secret = await page.locator('#source-secret').inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    createdSecret = secret;
    await editor.getByRole('button', { name: 'Add mapping' }).click();
    await page.getByLabel('Payload path 1').fill('labels.node');
    await editor.getByText('This type has no settings.').waitFor();
    await editor.getByRole('button', { name: 'Create source' }).click();

    const panel = page.getByTestId('source-panel');
    await panel.waitFor();
    await panel.getByTestId('secret-once').waitFor();
    const sources = await api<{
      data: { uuid: string; webhook_url: string; field_mappings: object }[];
    }>('/api/alert-sources');
    expect(sources.data).toHaveLength(1);
    const source = sources.data[0]!;
    expect(source.field_mappings).toEqual({ name: 'labels.node' });
    expect(source.webhook_url.startsWith(server.url)).toBe(true);

    await panel.getByRole('button', { name: 'Copy URL' }).click();
    await panel.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() =>
      (globalThis as unknown as { navigator: Navigator }).navigator.clipboard.readText(),
    );
    expect(copied).toBe(source.webhook_url);
    expect(await panel.getByLabel('Webhook URL').inputValue()).toBe(copied);

    // The receiver shown carries the URL and the secret typed a moment ago.
    const receiver = await panel.getByTestId('snippet-Alertmanager').textContent();
    expect(receiver).toContain(`url: "${copied}"`);
    expect(receiver).toContain(`credentials: "${secret}"`);

    // The curl command shown, run as it is, is a real delivery.
    await panel.locator('.n-tabs-tab', { hasText: 'curl' }).click();
    const curl = (await panel.getByTestId('snippet-curl').textContent()) ?? '';
    expect(curl).toContain(copied);
    const answer = execFileSync('bash', ['-c', curl], { encoding: 'utf8' });
    expect(answer).toContain('"received"');

    // And a sender with a wrong secret is refused, with the reason shown.
    const refused = await fetch(copied, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-secret-123' },
      body: '{}',
    });
    expect(refused.status).toBe(401);

    const deliveries = panel.getByTestId('recent-deliveries');
    await deliveries.getByText('202 accepted').waitFor({ timeout: 20_000 });
    await deliveries.getByText('401 refused').waitFor({ timeout: 20_000 });
    expect(await deliveries.textContent()).toContain('AKM_WEBHOOK_UNAUTHORIZED');

    // The test alert goes through the whole pipeline as if the sender had sent it.
    await panel.getByRole('button', { name: 'Send test alert' }).click();
    const sent = panel.getByTestId('test-alert-result');
    await sent.waitFor();
    expect(await sent.textContent()).toMatch(/[1-9]\d* alert\(s\) received/);
    // The button's spinner gone (its leaving transition changes the header's height).
    await expect
      .poll(() => panel.locator('.n-card-header .n-button__icon').count(), { timeout: 10_000 })
      .toBe(0);
    // Tall enough to show the deliveries under the snippets.
    await page.setViewportSize({ width: 1280, height: 1300 });
    await steadyPicture(page, [
      [server.url, 'https://akmatori.example.com'],
      [source.uuid, '3910e480-dae3-448f-84d0-f9d65c5ca0e0'],
      [secret, 'the-secret-generated-here-shown-once'],
    ]);
    await saveScreenshot(page, path.join(SCREENSHOTS, 'sources.png'));
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 90_000);

  it('edits the source leaving its secret blank: the secret is kept, the mapping changed', async () => {
    const panel = page.getByTestId('source-panel');
    await panel.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByTestId('source-editor');
    await editor.getByText('Edit prod-alertmanager').waitFor();
    expect(await page.locator('#source-secret').inputValue()).toBe('');
    await editor.getByTestId('secret-set').waitFor();
    await page.getByLabel('Payload path 1').fill('labels.instance');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await panel.waitFor();
    // Not typed this time, so not shown: the snippets read a placeholder.
    expect(await panel.getByTestId('secret-once').count()).toBe(0);
    expect(await panel.getByTestId('snippet-Alertmanager').textContent()).toContain(
      'credentials: "<webhook secret>"',
    );

    const sources = await api<{
      data: { webhook_url: string; field_mappings: object; has_webhook_secret: boolean }[];
    }>('/api/alert-sources');
    expect(sources.data[0]).toMatchObject({
      field_mappings: { name: 'labels.instance' },
      has_webhook_secret: true,
    });
    // The secret generated at creation still opens the door.
    const delivered = await fetch(sources.data[0]!.webhook_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${createdSecret}` },
      body: JSON.stringify({ version: '4', status: 'firing', alerts: [] }),
    });
    expect(delivered.status, await delivered.text()).toBe(202);
  }, 60_000);

  it('creates an SSH tool instance from its schema form and tests it against a real sshd', async () => {
    await page.getByRole('link', { name: 'Tools' }).first().click();
    await page.waitForURL('**/tools');
    await page.getByTestId('tools-empty').waitFor();
    await page.getByRole('button', { name: 'New tool instance' }).first().click();
    await choose('tool-type', 'SSH');
    await page.locator('#tool-name').fill('web-ssh');
    await page.locator('#tool-hosts-0-name').fill('web-1');
    await page.locator('#tool-hosts-0-address').fill(sshd.address);
    await page.locator('#tool-hosts-0-port').fill(String(sshd.port));
    await page.locator('#tool-hosts-0-user').fill(sshd.user);
    if (sshd.userIsRoot) await page.locator('#tool-hosts-0-allow_root').click();
    await page.locator('#tool-hosts-0-host_key_fingerprint').fill(sshd.hostKeyFingerprint);
    // Saving without a required field names it.
    await page.locator('#tool-hosts-0-user').fill('');
    await page.getByRole('button', { name: 'Create tool instance' }).click();
    await page.locator('[data-field="hosts.0.user"]').getByText('Required').waitFor();
    await page.locator('#tool-hosts-0-user').fill(sshd.user);
    await page.locator('#tool-private_key').fill(sshd.clientPrivateKey);
    await page.getByRole('button', { name: 'Create tool instance' }).click();

    const table = page.getByTestId('tools-table');
    const row = table.locator('tr', { hasText: 'web-ssh' });
    await row.waitFor();
    expect(await row.textContent()).toContain('SSH');
    await row.getByRole('button', { name: 'Test' }).click();
    const result = page.getByTestId('connectivity-result');
    await result.getByText('web-ssh: reachable').waitFor({ timeout: 30_000 });
    await row.getByText('reachable').waitFor();
  }, 90_000);

  it('shows the stored key only as set, and keeps it when the edit leaves it blank', async () => {
    const keyBody = sshd.clientPrivateKey.split('\n')[1]!;
    const row = page.getByTestId('tools-table').locator('tr', { hasText: 'web-ssh' });
    await row.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByTestId('tool-editor');
    await editor.getByText('Edit web-ssh').waitFor();
    expect(await page.locator('#tool-private_key').inputValue()).toBe('');
    await editor.locator('[data-field="private_key"]').getByTestId('secret-set').waitFor();
    expect(await page.content()).not.toContain(keyBody);

    await page.locator('#tool-hosts-0-allow_write').click();
    await page.locator('#tool-name').fill('web-ssh-edited');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    const edited = page.getByTestId('tools-table').locator('tr', { hasText: 'web-ssh-edited' });
    await edited.waitFor();

    const tools = await api<{ data: { settings: Record<string, unknown> }[] }>('/api/tools');
    expect(tools.data[0]?.settings).toMatchObject({
      hosts: [{ name: 'web-1', allow_write: true }],
      private_key: { set: true },
    });
    // The kept key still logs in.
    await edited.getByRole('button', { name: 'Test' }).click();
    await page
      .getByTestId('connectivity-result')
      .getByText('web-ssh-edited: reachable')
      .waitFor({ timeout: 30_000 });

    // The picture for the docs: the form with the stored key shown as set.
    await page.getByTestId('connectivity-result').getByRole('button').first().click();
    await edited.getByRole('button', { name: 'Edit' }).click();
    await editor.locator('[data-field="private_key"]').getByTestId('secret-set').waitFor();
    await page.setViewportSize({ width: 1280, height: 1500 });
    await steadyPicture(page, [
      [String(sshd.port), '22'],
      [sshd.hostKeyFingerprint, 'SHA256:jw+9W7ypZg7qt6kV6ALz1yJT1JfDddcdeJw/dRMkIoc'],
    ]);
    await saveScreenshot(page, path.join(SCREENSHOTS, 'tools.png'));
    await page.setViewportSize({ width: 1280, height: 900 });
    await editor.getByRole('button', { name: 'Cancel' }).click();
  }, 90_000);

  it('had no script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
