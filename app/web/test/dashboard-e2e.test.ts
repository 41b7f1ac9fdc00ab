import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  type RunningAlertmanager,
} from '@akmatori/test-support/peers/alertmanager';
import { pollUntil } from '@akmatori/test-support/peers/process';
import {
  apiCall,
  collectPageErrors,
  logIn,
  logInToApi,
  openDashboard,
  startDashboardServer,
  type DashboardServer,
} from '@akmatori/test-support/web/dashboard-session';
import { saveScreenshot } from './support/screenshots.js';
import { sharedBrowser } from './support/shared-browser.js';

/** Where the screenshots the README and docs show are written. */
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const PASSWORD = 'dashboard e2e password';
const ADMIN = { username: 'admin', password: PASSWORD };
const WEBHOOK_SECRET = 'dashboard-e2e-webhook-secret';

let server: DashboardServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let alertmanager: RunningAlertmanager | undefined;
/** What the tests read in the page (evaluated in Chromium, where these are globals). */
interface InPage {
  notReloaded?: boolean;
  sessionStorage: { getItem(key: string): string | null };
}

/** What the page logged as an error (a CSP violation, say) or threw. */
const pageErrors: string[] = [];

beforeAll(async () => {
  // First run, no ADMIN_PASSWORD: the browser does the setup. No LLM is configured, so each
  // investigation fails as soon as the embedded worker is given it: its `run.failed` event
  // is what the open page hears about first.
  [server, browser] = await Promise.all([
    startDashboardServer('akm-dashboard-e2e-'),
    sharedBrowser(),
  ]);
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
  await alertmanager?.stop();
  await server?.dispose();
});

describe('the dashboard in Chromium', () => {
  it('leads a new install to first-run setup, and logs the admin in', async () => {
    await page.goto(server.url);
    await page.waitForURL('**/setup');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password and log in' }).click();
    await page.waitForURL('**/incidents');
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('admin');
    await page.getByText('No incidents yet.').waitFor();
  }, 60_000);

  it('shows an incident the real Alertmanager sends, without a reload', async () => {
    await page.getByTestId('live-status').getByText('Live').waitFor();
    // Anything that reloads the page loses this.
    await page.evaluate(() => ((globalThis as unknown as InPage).notReloaded = true));

    const { token } = await logInToApi(server.url, ADMIN);
    const source = await apiCall<{ uuid: string }>(
      server.url,
      token,
      'POST',
      '/api/alert-sources',
      {
        source_type_name: 'alertmanager',
        name: 'prometheus',
        webhook_secret: WEBHOOK_SECRET,
        grouping_window_seconds: 0,
      },
      201,
    );
    alertmanager = await startAlertmanager({
      webhookUrl: `${server.url}/webhook/alert/${source.uuid}`,
      bearerToken: WEBHOOK_SECRET,
    });
    // Grouped by alertname: three webhooks, three incidents.
    await alertmanager.postAlerts([
      {
        labels: { alertname: 'DiskSpaceLow', instance: 'db-1:9100', severity: 'critical' },
        annotations: { summary: 'Disk almost full on db-1' },
      },
      {
        labels: { alertname: 'HighLatency', service: 'checkout', severity: 'warning' },
        annotations: { summary: 'Checkout p99 latency above 2 s' },
      },
      {
        labels: { alertname: 'CertificateExpiry', instance: 'edge-2', severity: 'info' },
        annotations: { summary: 'TLS certificate of edge-2 expires in 14 days' },
      },
    ]);

    // The incidents exist (the API says so), then the open page shows them by itself.
    const titles = await pollUntil(
      'the three incidents the webhooks open',
      async () => {
        const page = await apiCall<{ data: { title: string }[] }>(
          server.url,
          token,
          'GET',
          '/api/incidents',
        );
        return page.data.length === 3 ? page.data.map((incident) => incident.title) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const rows = page.getByTestId('incidents-table').getByRole('row');
    for (const title of titles) await rows.filter({ hasText: title }).waitFor({ timeout: 30_000 });
    const disk = rows.filter({ hasText: 'Disk almost full on db-1' });
    await expect.poll(() => disk.textContent()).toContain('Critical');
    expect(await disk.textContent()).toContain('Open');
    expect(await disk.textContent()).toContain('alertmanager');
    expect(await disk.textContent()).toContain('1 firing');
    expect(await page.evaluate(() => (globalThis as unknown as InPage).notReloaded)).toBe(true);

    // The same picture every run: rows in a fixed order (ages all read "< 1 min").
    await page.goto(`${server.url}/incidents?sort=severity:asc`);
    await rows.filter({ hasText: titles[0] }).waitFor();
    await page.getByTestId('live-status').getByText('Live').waitFor();
    await saveScreenshot(page, path.join(SCREENSHOTS, 'incidents.png'));
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, path.join(SCREENSHOTS, 'incidents-dark.png'));
    await page.emulateMedia({ colorScheme: 'light' });
  }, 90_000);

  it('keeps filters in the URL, so a reload shows the same list', async () => {
    await page.goto(`${server.url}/incidents?severity=info`);
    await page.getByText('TLS certificate of edge-2 expires in 14 days').waitFor();
    expect(await page.getByText('Disk almost full on db-1').count()).toBe(0);
    await page.goto(`${server.url}/incidents?severity=high`);
    await page.getByText('No incident matches these filters.').waitFor();
    await page.goto(`${server.url}/incidents?severity=critical,high`);
    await page
      .getByTestId('incidents-table')
      .getByRole('row')
      .filter({ hasText: 'alertmanager' })
      .waitFor();
  }, 60_000);

  it('opens an incident from the list, acknowledges and resolves it', async () => {
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('link', { name: 'Disk almost full on db-1' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    await page.getByTestId('incident-title').getByText('Disk almost full on db-1').waitFor();
    const state = page.getByTestId('incident-state');
    await expect.poll(() => state.textContent()).toContain('Open');
    // Its investigation failed for want of an LLM: the timeline says so.
    await expect
      .poll(() => page.getByTestId('investigation-state').textContent(), { timeout: 30_000 })
      .toContain('Investigation failed');
    await page.getByTestId('run-timeline').getByText('Run failed').first().waitFor();

    await page.getByTestId('action-acknowledge').click();
    await expect.poll(() => state.textContent(), { timeout: 30_000 }).toContain('Acknowledged');
    expect(await page.getByTestId('acknowledged-by').textContent()).toContain('admin');
    expect(await page.getByTestId('action-acknowledge').count()).toBe(0);

    await page.getByTestId('action-resolve').click();
    await expect.poll(() => state.textContent(), { timeout: 30_000 }).toContain('Resolved');
    expect(await page.getByTestId('resolved-by').textContent()).toContain('admin');
    await page.getByTestId('action-reopen').waitFor();

    await page.getByText(/^Alerts \(\d+\)$/).click();
    const alert = page.getByTestId('incident-alert').first();
    await alert.waitFor();
    expect(await alert.textContent()).toContain('DiskSpaceLow');
    expect(await alert.textContent()).toContain('Firing');
  }, 90_000);

  it('shows a hostile incident title and task as text on the detail page', async () => {
    const { token } = await logInToApi(server.url, ADMIN);
    const hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 1">';
    const incident = await apiCall<{ uuid: string }>(
      server.url,
      token,
      'POST',
      '/api/incidents',
      { title: hostile, task: `[click](javascript:alert(1)) ${hostile}`, severity: 'info' },
      201,
    );
    await page.goto(`${server.url}/incidents/${incident.uuid}`);
    const title = page.getByTestId('incident-title');
    await expect.poll(() => title.textContent()).toBe(hostile);
    expect(await title.locator('*').count()).toBe(0);
    expect(await page.locator('img:not(.brand-logo), a[href^="javascript:" i]').count()).toBe(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned),
    ).toBeUndefined();
  }, 60_000);

  it('lets the admin create a user, listed at once, and shows the approvals inbox', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByText('Users').click();
    await page.waitForURL('**/settings/users');
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('Username').fill('casey');
    await page.getByLabel('Password', { exact: true }).fill('casey e2e password');
    await page.getByLabel('E-mail (optional)').fill('casey@example.com');
    await page.getByRole('button', { name: 'Create user' }).click();
    const casey = page.getByTestId('users-table').getByRole('row').filter({ hasText: 'casey' });
    await casey.waitFor();
    expect(await casey.textContent()).toContain('casey@example.com');
    expect(await casey.textContent()).toContain('enabled');

    await page.getByRole('navigation', { name: 'Main' }).getByText('Approvals').click();
    await page.waitForURL('**/approvals');
    await page.getByRole('heading', { name: 'Pending (0)' }).waitFor();
    await page.getByText('Nothing waits for a decision.').waitFor();
  }, 60_000);

  it('creates an API token and shows its value once, then lists it by its prefix', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByText('API tokens').click();
    await page.waitForURL('**/settings/tokens');
    await page.getByLabel('Name').fill('ci-deploy');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token').getByLabel('New token');
    await shown.waitFor();
    const value = await shown.inputValue();
    expect(value.length).toBeGreaterThan(20);
    const row = page.getByTestId('tokens-table').getByRole('row').filter({ hasText: 'ci-deploy' });
    await row.waitFor();
    expect(await row.textContent()).toContain('never'); // not used yet
    // The token works, and its value is nowhere on the page after a reload.
    expect(
      (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${value}` } }))
        .status,
    ).toBe(200);
    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId('new-token').count()).toBe(0);
  }, 60_000);

  it('shows a viewer on a phone the approvals inbox and tokens, not the users page', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 800 } });
    try {
      const viewer = await phone.newPage();
      collectPageErrors(viewer, pageErrors);
      await logIn(viewer, server.url, { username: 'casey', password: 'casey e2e password' });
      const nav = viewer.getByRole('navigation', { name: 'Main' });
      await nav.getByText('Approvals').waitFor();
      expect(await nav.getByText('API tokens').count()).toBe(1);
      expect(await nav.getByText('Users').count()).toBe(0);
      await nav.getByText('Approvals').click();
      await viewer.getByText('Nothing waits for a decision.').waitFor();
      // Nothing wider than the phone: no sideways scrolling.
      const overflow = await viewer.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
            .document.documentElement.scrollWidth,
      );
      expect(overflow).toBeLessThanOrEqual(390);
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('logs out: the session stops working and the login page says so', async () => {
    const session = await page.evaluate(() =>
      (globalThis as unknown as InPage).sessionStorage.getItem('akmatori.session'),
    );
    const { token } = JSON.parse(session ?? '{}') as { token?: string };
    expect(token).toMatch(/^aks_/);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(
      (url) => url.pathname === '/login' && url.searchParams.get('logged_out') === '1',
    );
    await page.getByText('You are logged out.').waitFor();
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as InPage).sessionStorage.getItem('akmatori.session'),
      ),
    ).toBeNull();
    expect(
      (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(401);

    await page.goto(`${server.url}/incidents`);
    await page.waitForURL(
      (url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/incidents',
    );
    await saveScreenshot(page, path.join(SCREENSHOTS, 'login.png'));
  }, 60_000);

  it('raised no script error and no CSP violation on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
