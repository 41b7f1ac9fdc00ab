import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startServerProcess, type ServerProcess } from '../app/server-process.js';

// What the dashboard's browser tests (and bench/web) share: the built `akmatori serve` on its
// embedded database, a browser context that collects what the page logs as errors, logging in
// through the page or the API, and calls to the API. No vitest import: bench/web runs it too.

/** A spawned `akmatori serve` on an embedded database in a temp dir. */
export interface DashboardServer {
  /** Base URL it listens on, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Its data directory (`AKMATORI_DATA_DIR`); run workspaces are in `<dataDir>-runs`. */
  readonly dataDir: string;
  /** The child process (its output, for failure messages). */
  readonly process: ServerProcess;
  /** Sends SIGTERM and waits for the exit; the data directory stays (a restart can reuse it). */
  stop(): Promise<void>;
  /** Stops it, then deletes its data directory and run workspaces. */
  dispose(): Promise<void>;
}

/** A login session as `POST /auth/login` answers it, and as the dashboard keeps it. */
export interface DashboardSession {
  readonly token: string;
  readonly expires_at: string;
}

/** A user's name and password. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Starts the built `akmatori serve` (needs `npm run build` first) with a fresh secret key, its
 * MCP gateway on a free port (other tests' servers may hold the default 8081) and warnings-only
 * logs, plus `env` (say `ADMIN_PASSWORD`). Its data directory is a new temp dir named after
 * `name`, or `dataDir` to start again on the files of a stopped server.
 *
 * @example
 * ```ts
 * const server = await startDashboardServer('akm-my-e2e-', { ADMIN_PASSWORD: 'secret' });
 * await server.dispose();
 * ```
 */
export async function startDashboardServer(
  name: string,
  env: Record<string, string> = {},
  dataDir = mkdtempSync(path.join(tmpdir(), name)),
): Promise<DashboardServer> {
  const removeData = (): void => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-runs`, { recursive: true, force: true });
  };
  let started: ServerProcess;
  try {
    started = await startServerProcess({
      AKMATORI_DATA_DIR: dataDir,
      AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    });
  } catch (error) {
    removeData();
    throw error;
  }
  const stop = async (): Promise<void> => {
    if (started.child.exitCode !== null) return;
    started.child.kill('SIGTERM');
    await started.exited();
  };
  return {
    url: started.url,
    dataDir,
    process: started,
    stop,
    async dispose() {
      await stop();
      removeData();
    },
  };
}

/**
 * Opens a page in a new browser context; with `session`, already logged in as the dashboard
 * keeps a session (in the tab's sessionStorage). Close the context when done.
 *
 * @example
 * ```ts
 * const { context, page } = await openDashboard(browser, { viewport: { width: 1280, height: 760 } });
 * ```
 */
export async function openDashboard(
  browser: Browser,
  options: BrowserContextOptions & { session?: DashboardSession } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const { session, ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  if (session !== undefined) {
    await context.addInitScript(
      `sessionStorage.setItem('akmatori.session', ${JSON.stringify(JSON.stringify(session))});`,
    );
  }
  return { context, page: await context.newPage() };
}

/**
 * Collects into `errors` (and returns it) what `page` logs as an error (a CSP violation, say)
 * or throws. Chromium logs every 4xx as an error too ('Failed to load resource'): those are
 * left out, tests check what the user sees of them.
 *
 * @example
 * ```ts
 * const pageErrors = collectPageErrors(page);
 * // … drive the page …
 * expect(pageErrors).toEqual([]);
 * ```
 */
export function collectPageErrors(page: Page, errors: string[] = []): string[] {
  page.on('console', (logged) => {
    if (logged.type() === 'error' && !logged.text().startsWith('Failed to load resource'))
      errors.push(logged.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * Logs in through the dashboard's login page and waits for the incidents list.
 *
 * @example
 * ```ts
 * await logIn(page, server.url, { username: 'rita', password: 'her password' });
 * ```
 */
export async function logIn(page: Page, url: string, user: Credentials): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/incidents');
}

/**
 * Logs in through the API (`POST /auth/login`); throws unless it answers 200.
 *
 * @example
 * ```ts
 * const { token } = await logInToApi(server.url, { username: 'admin', password: PASSWORD });
 * ```
 */
export async function logInToApi(url: string, user: Credentials): Promise<DashboardSession> {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (response.status !== 200)
    throw new Error(
      `login as ${user.username} answered ${response.status}: ${await response.text()}`,
    );
  return (await response.json()) as DashboardSession;
}

/**
 * Calls the API at `url` with `token`; throws unless it answers `expected`. Resolves with the
 * parsed JSON body (undefined for an empty one).
 *
 * @example
 * ```ts
 * const source = await apiCall<{ uuid: string }>(server.url, token, 'POST', '/api/alert-sources', body, 201);
 * ```
 */
export async function apiCall<T>(
  url: string,
  token: string,
  method: string,
  route: string,
  body?: unknown,
  expected = 200,
): Promise<T> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== expected)
    throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
