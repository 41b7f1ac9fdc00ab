/**
 * Dashboard render benchmark: the real `akmatori serve` on its embedded database, seeded with
 * 10,000 incidents and one run of 5,000 events, and Debian's Chromium (playwright-core)
 * opening the pages. Prints, as medians over several navigations (each a full page load
 * with a warm HTTP cache, as an operator's second visit):
 *
 * - navigation → the first incident row in the incidents list;
 * - navigation → the first and the last (newest) entry of a 5,000-event run timeline on the
 *   incident detail page (the timeline follows the newest step, so the last is the one
 *   scrolled to);
 * - a scroll of that timeline from its top to its end → the last entry rendered.
 *
 *   npm run bench:web                       (builds first; also prints the bundle sizes)
 *   BENCH_NAVIGATIONS=9 node --conditions=@akmatori/source --import tsx bench/web/render-times.ts
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import { chromium, type Page } from 'playwright-core';
import {
  apiCall,
  collectPageErrors,
  logInToApi,
  openDashboard,
  startDashboardServer,
  type DashboardServer,
} from '@akmatori/test-support/web/dashboard-session';
import { seedDashboardData } from './seed.js';

const INCIDENTS = 10_000;
const EVENTS = 5_000;
const NAVIGATIONS = Number(process.env.BENCH_NAVIGATIONS ?? 7);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'bench-web-admin-password';
/** Targets, in milliseconds (README, Benchmarks). */
const TARGETS = { firstRow: 1500, timelineFirst: 1000, timelineLast: 1000, scrollToEnd: 100 };

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Watches the page from its very start (an init script, run before the app's) and records,
 * in `performance.now()` milliseconds since navigation start, when the first incident row,
 * the first timeline entry and the entry holding `lastMarker` first appear.
 */
function recorder(lastMarker: string): string {
  return `(() => {
    const marks = (window.__benchMarks = {});
    const check = () => {
      const now = performance.now();
      if (marks.firstRow === undefined && document.querySelector('[data-incident-uuid]')) marks.firstRow = now;
      const rows = document.querySelectorAll('.run-timeline__row');
      if (marks.timelineFirst === undefined && rows.length > 0) marks.timelineFirst = now;
      if (marks.timelineLast === undefined)
        for (const row of rows) if (row.textContent.includes(${JSON.stringify(lastMarker)})) { marks.timelineLast = now; break; }
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  })();`;
}

/**
 * In the page: the timeline scrolled to its top, then at once to its end; resolves with the
 * milliseconds until the entry holding `marker` is drawn. A string, as tsx would wrap a
 * function in helpers the page does not have.
 */
function scrollToEndScript(marker: string): string {
  return `(async () => {
    const scroller = document.querySelector('[data-testid="run-timeline"]');
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    scroller.scrollTop = 0;
    for (let f = 0; f < 10; f++) await frame();
    const started = performance.now();
    scroller.scrollTop = scroller.scrollHeight;
    for (;;) {
      await frame();
      const rows = [...scroller.querySelectorAll('.run-timeline__row')];
      if (rows.some((row) => row.textContent.includes(${JSON.stringify(marker)}))) return performance.now() - started;
      if (performance.now() - started > 10000) return Number.NaN;
    }
  })()`;
}

interface Marks {
  firstRow?: number;
  timelineFirst?: number;
  timelineLast?: number;
}

async function marks(page: Page, wanted: keyof Marks): Promise<Marks> {
  // Polled from here: the page's CSP refuses the eval that waitForFunction would use. The
  // times are the page's own, so the polling adds nothing to them.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const recorded = (await page.evaluate('window.__benchMarks')) as Marks;
    if (recorded[wanted] !== undefined) return recorded;
    if (Date.now() > deadline) throw new Error(`${wanted} did not appear in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-bench-web-'));
// One secret key for both starts: the second reads what the first sealed.
const env = {
  ADMIN_PASSWORD: PASSWORD,
  AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
};
const admin = { username: 'admin', password: PASSWORD };
let server: DashboardServer | undefined;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
try {
  // 1. One real incident, through the API. No LLM is configured, so its investigation fails
  //    at once: that run (and its few events) is the one the seed grows to 5,000 events.
  server = await startDashboardServer('akm-bench-web-', env, dataDir);
  const first = await logInToApi(server.url, admin);
  const template = await apiCall<{ uuid: string }>(
    server.url,
    first.token,
    'POST',
    '/api/incidents',
    { task: 'Bench: why does the disk on db-1 fill up?' },
    201,
  );
  let runId: string | undefined;
  for (let tries = 0; runId === undefined; tries++) {
    if (tries > 200) throw new Error('the template incident got no run');
    const runs = await apiCall<{ data: { id: string; status: string }[] }>(
      server.url,
      first.token,
      'GET',
      `/api/incidents/${template.uuid}/runs`,
    );
    runId = runs.data.find((run) => run.status === 'failed' || run.status === 'completed')?.id;
    if (runId === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();

  // 2. The seed, on the stopped server's files.
  const seedStarted = performance.now();
  await seedDashboardData({
    dataDir,
    templateId: template.uuid,
    count: INCIDENTS,
    runId,
    events: EVENTS,
  });
  const seedMs = performance.now() - seedStarted;

  // 3. The same server again, and Chromium on its pages.
  server = await startDashboardServer('akm-bench-web-', env, dataDir);
  const session = await logInToApi(server.url, admin);
  const listed = await apiCall<{ pagination: { total: number } }>(
    server.url,
    session.token,
    'GET',
    '/api/incidents?per_page=1',
  );
  const { context, page } = await openDashboard(browser, {
    viewport: { width: 1280, height: 800 },
    session,
  });
  await context.addInitScript(recorder(`bench step ${EVENTS}:`));
  const pageErrors = collectPageErrors(page);

  const firstRow: number[] = [];
  const timelineFirst: number[] = [];
  const timelineLast: number[] = [];
  const scrollToEnd: number[] = [];
  // One navigation of each first, not counted: it fills the HTTP cache.
  for (let i = 0; i <= NAVIGATIONS; i++) {
    await page.goto(`${server.url}/incidents?tab=all`);
    const list = await marks(page, 'firstRow');
    await page.goto(`${server.url}/incidents/${template.uuid}`);
    const detail = await marks(page, 'timelineLast');
    // Back to the top, then a jump to the end: the time until the newest entry is drawn.
    const scroll = (await page.evaluate(scrollToEndScript(`bench step ${EVENTS}:`))) as number;
    if (i === 0) continue;
    firstRow.push(list.firstRow!);
    timelineFirst.push(detail.timelineFirst!);
    timelineLast.push(detail.timelineLast!);
    scrollToEnd.push(scroll);
  }
  await context.close();
  if (pageErrors.length > 0) throw new Error(`the page failed: ${pageErrors.join('; ')}`);

  out(
    `Dashboard render benchmark: ${listed.pagination.total} incidents and a run of ${EVENTS} events (seeded in ${(seedMs / 1000).toFixed(1)} s), embedded database, Chromium ${browser.version()} headless, median of ${NAVIGATIONS} navigations; load average ${loadavg()[0]!.toFixed(1)} on this machine (the figures are only as quiet as it is)`,
  );
  out('');
  const rows: [string, number[], number][] = [
    ['navigation → first incident row (10,000 incidents)', firstRow, TARGETS.firstRow],
    ['navigation → first timeline entry (5,000 events)', timelineFirst, TARGETS.timelineFirst],
    ['navigation → newest timeline entry (5,000 events)', timelineLast, TARGETS.timelineLast],
    ['timeline scrolled top → end: newest entry drawn', scrollToEnd, TARGETS.scrollToEnd],
  ];
  let missed = false;
  out('| measure | median | min | max | target | |');
  out('| --- | --- | --- | --- | --- | --- |');
  for (const [name, values, target] of rows) {
    const value = median(values);
    const met = value <= target;
    if (!met) missed = true;
    out(
      `| ${name} | ${value.toFixed(0)} ms | ${Math.min(...values).toFixed(0)} ms | ${Math.max(...values).toFixed(0)} ms | < ${target} ms | ${met ? 'met' : 'MISSED'} |`,
    );
  }
  if (missed) process.exitCode = 1;
} finally {
  await browser.close();
  await server?.dispose();
}
