/**
 * Ingest benchmark. In one run, on this machine: Akmatori's webhook on PostgreSQL (fsync on)
 * and on the embedded default, and a real Prometheus Alertmanager taking the same alerts on
 * `POST /api/v2/alerts` (in memory). Prints alerts/s, p50 and p99 at 10 and 50 connections,
 * the ratio to Alertmanager, and the storm scenario.
 *
 *   npm run bench:ingest            (builds first)
 *   BENCH_SECONDS=20 npm run bench:ingest
 *   BENCH_TARGETS=embedded,alertmanager npm run bench:ingest
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:ingest
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import { startPostgresCluster } from '@akmatori/host/testing';
import { startAlertmanager } from '@akmatori/test-support/peers/alertmanager';
import { startReceiver } from '@akmatori/test-support/peers/receiver';
import { metric, startBenchServer, type BenchServer } from './akmatori-server.js';
import { drive, type LoadResult } from './load.js';
import {
  alertmanagerApiBody,
  alertmanagerWebhookBody,
  ALERTS_PER_REQUEST,
  type FingerprintMode,
} from './payloads.js';
import { runStorm, type StormResult } from './storm.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = [10, 50] as const;
/** `BENCH_TARGETS=embedded,alertmanager` measures only those (default all three). */
const TARGETS = new Set((process.env.BENCH_TARGETS ?? 'postgres,embedded,alertmanager').split(','));
/** Node options for the Akmatori servers, space-separated: `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

interface Row {
  readonly target: string;
  readonly mode: FingerprintMode;
  readonly connections: number;
  readonly result: LoadResult;
}

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const WARM_UP_SECONDS = 3;

async function measureAkmatori(
  name: string,
  target: BenchServer,
  rows: Row[],
  storms: Map<string, StormResult>,
): Promise<void> {
  out(`- ${name}: storm scenario`);
  storms.set(name, await runStorm(target));
  out(`- ${name}: warm-up, ${WARM_UP_SECONDS} s`);
  const warmUpStart = new Date().toISOString();
  await drive({
    url: target.webhookUrl,
    connections: 50,
    seconds: WARM_UP_SECONDS,
    headers: { authorization: `Bearer ${target.secret}` },
    body: (n) => alertmanagerWebhookBody(90_000_000 + n, 'distinct', warmUpStart),
  });
  for (const mode of ['distinct', 'repeating'] as const) {
    for (const connections of CONNECTIONS) {
      out(`- ${name}: ${mode} fingerprints, ${connections} connections, ${SECONDS} s`);
      const startsAt = new Date().toISOString();
      const result = await drive({
        url: target.webhookUrl,
        connections,
        seconds: SECONDS,
        headers: { authorization: `Bearer ${target.secret}` },
        body: (n) => alertmanagerWebhookBody(n + connections * 10_000_000, mode, startsAt),
      });
      rows.push({ target: name, mode, connections, result });
    }
  }
  catchUps.set(name, await catchUp(target));
}

/** How far the incident engine fell behind during the cells, and how long it took to apply it. */
interface CatchUp {
  readonly backlog: number;
  /** Seconds until nothing waited, or undefined past {@link CATCH_UP_LIMIT_SECONDS}. */
  readonly seconds: number | undefined;
}
const catchUps = new Map<string, CatchUp>();
const CATCH_UP_LIMIT_SECONDS = 300;

async function catchUp(target: BenchServer): Promise<CatchUp> {
  const started = performance.now();
  const backlog = await metric(target, 'akmatori_alert_events_unprocessed');
  out(`- waiting for the engine to apply the ${backlog} alerts it deferred during the cells`);
  for (;;) {
    const seconds = (performance.now() - started) / 1000;
    if ((await metric(target, 'akmatori_alert_events_unprocessed')) === 0)
      return { backlog, seconds };
    if (seconds > CATCH_UP_LIMIT_SECONDS) return { backlog, seconds: undefined };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const storms = new Map<string, StormResult>();
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'akm-bench-'));
    dirs.push(dir);
    return dir;
  };
  out(
    `Ingest benchmark: ${ALERTS_PER_REQUEST} alerts per request, Alertmanager webhook payloads (~2.2 KB)`,
  );
  // Alertmanager first, then each Akmatori target with nothing of the others left running: a
  // target that measured after PostgreSQL's cluster (vacuuming millions of rows) or after a
  // server still catching up looked better or worse than it was.
  try {
    if (TARGETS.has('alertmanager')) await measureAlertmanager(rows);
    if (TARGETS.has('postgres')) {
      const cluster = await startPostgresCluster({ durable: true });
      try {
        const postgres = await startBenchServer({
          dataDir: tempDir(),
          databaseUrl: await cluster.createDatabase('akmatori_bench'),
          secretKey: generateSecretKey().toString('base64'),
          nodeArgs: SERVER_NODE_ARGS,
        });
        try {
          await measureAkmatori('akmatori-postgres', postgres, rows, storms);
        } finally {
          await postgres.stop();
        }
      } finally {
        await cluster.stop();
      }
    }
    if (TARGETS.has('embedded')) {
      const embedded = await startBenchServer({
        dataDir: tempDir(),
        secretKey: generateSecretKey().toString('base64'),
        nodeArgs: SERVER_NODE_ARGS,
      });
      try {
        await measureAkmatori('akmatori-embedded', embedded, rows, storms);
      } finally {
        await embedded.stop();
      }
    }
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  report(rows, storms);
}

async function measureAlertmanager(rows: Row[]): Promise<void> {
  const sink = await startReceiver();
  const alertmanager = await startAlertmanager({
    webhookUrl: `${sink.url}/hook`,
    groupWait: '30s',
    groupInterval: '5m',
  });
  try {
    out(`- alertmanager: warm-up, ${WARM_UP_SECONDS} s`);
    const warmUpStart = new Date().toISOString();
    await drive({
      url: `${alertmanager.url}/api/v2/alerts`,
      connections: 50,
      seconds: WARM_UP_SECONDS,
      headers: {},
      body: (n) => alertmanagerApiBody(90_000_000 + n, 'distinct', warmUpStart),
    });
    for (const mode of ['distinct', 'repeating'] as const) {
      for (const connections of CONNECTIONS) {
        out(`- alertmanager: ${mode} fingerprints, ${connections} connections, ${SECONDS} s`);
        const startsAt = new Date().toISOString();
        const result = await drive({
          url: `${alertmanager.url}/api/v2/alerts`,
          connections,
          seconds: SECONDS,
          headers: {},
          body: (n) => alertmanagerApiBody(n + connections * 10_000_000, mode, startsAt),
        });
        rows.push({ target: 'alertmanager', mode, connections, result });
      }
    }
  } finally {
    await alertmanager.stop();
    await sink.stop();
  }
}

function report(rows: readonly Row[], storms: ReadonlyMap<string, StormResult>): void {
  const baseline = (mode: FingerprintMode, connections: number): LoadResult | undefined =>
    rows.find(
      (row) =>
        row.target === 'alertmanager' && row.mode === mode && row.connections === connections,
    )?.result;
  out();
  out(
    '| target | fingerprints | conns | alerts/s | p50 ms | p99 ms | vs Alertmanager | non-2xx | errors |',
  );
  out('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const alertsPerSecond = row.result.requestsPerSecond * ALERTS_PER_REQUEST;
    const base = baseline(row.mode, row.connections);
    const ratio =
      base === undefined
        ? ''
        : `${(alertsPerSecond / (base.requestsPerSecond * ALERTS_PER_REQUEST)).toFixed(2)}x`;
    out(
      `| ${row.target} | ${row.mode} | ${row.connections} | ${Math.round(alertsPerSecond)} | ${row.result.p50Ms} | ${row.result.p99Ms} | ${row.target === 'alertmanager' ? '1.00x' : ratio} | ${row.result.non2xx} | ${row.result.errors} |`,
    );
  }
  out();
  out(
    'Targets: PostgreSQL >= 1.0x Alertmanager in every cell, p99 <= 25 ms at 50 connections; embedded >= 0.8x in every cell.',
  );
  for (const row of rows) {
    if (row.target === 'alertmanager') continue;
    const base = baseline(row.mode, row.connections);
    if (base === undefined) continue;
    const ratio = row.result.requestsPerSecond / base.requestsPerSecond;
    const postgres = row.target === 'akmatori-postgres';
    const ratioGoal = postgres ? 1 : 0.8;
    const p99Goal = postgres && row.connections === 50 ? 25 : undefined;
    const met = ratio >= ratioGoal && (p99Goal === undefined || row.result.p99Ms <= p99Goal);
    out(
      `  ${row.target.padEnd(17)} ${row.mode.padEnd(9)} ${String(row.connections).padStart(2)} conns: ${ratio.toFixed(2)}x (target >= ${ratioGoal.toFixed(1)}x)` +
        `${p99Goal === undefined ? '' : `, p99 ${row.result.p99Ms} ms (target <= ${p99Goal} ms)`} -> ${met ? 'met' : 'NOT met'}`,
    );
  }
  out();
  out(
    'Engine catch-up: alerts received during the cells but not yet applied to incidents when they ended (the engine steps aside while the webhook is under a storm), and the time to apply them',
  );
  out('| target | backlog | seconds to apply | alerts/s applied |');
  out('|---|---|---|---|');
  for (const [target, { backlog, seconds }] of catchUps) {
    out(
      `| ${target} | ${backlog} | ${seconds === undefined ? `over ${CATCH_UP_LIMIT_SECONDS}` : seconds.toFixed(1)} | ${seconds === undefined || seconds === 0 ? '' : Math.round(backlog / seconds)} |`,
    );
  }
  out();
  out('Storm: 10,000 distinct alerts of one group from one source, 50 connections');
  out(
    '| target | alerts sent | incidents | investigations queued | alerts in the incident | send s | settled s |',
  );
  out('|---|---|---|---|---|---|---|');
  for (const [target, storm] of storms) {
    out(
      `| ${target} | ${storm.alertsSent} | ${storm.incidents} | ${storm.investigationsQueued} | ${storm.storedAlerts} | ${storm.sendSeconds.toFixed(2)} | ${storm.settleSeconds.toFixed(2)} |`,
    );
  }
}

await main();
