/**
 * Run benchmark: the whole system as `akmatori serve` runs it (API, in-process gateway,
 * embedded worker child with the real codex binary) against a scripted model on loopback.
 * Prints, over a series of investigations, p50 and p99 of:
 *
 * - dispatch latency: incident queued (the API answered POST /api/incidents) → Codex started
 *   (its first JSONL line, `thread.started`, as the worker read it);
 * - event latency: a JSONL line read by the worker from Codex's stdout → the same event
 *   received by a `/ws/events` subscriber.
 *
 *   npm run bench:run                 (builds first)
 *   BENCH_RUNS=40 npm run bench:run
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecretKey } from '@akmatori/host';
import { message, shell, startScriptedModel } from '@akmatori/runner-codex/testing';
import WebSocket from 'ws';
import { startServerProcess } from '@akmatori/test-support/app/server-process';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const COMMANDS_PER_RUN = 3;
const PASSWORD = 'bench-admin-password';

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const turns = Array.from({ length: RUNS }, () => [
  ...Array.from({ length: COMMANDS_PER_RUN }, (_, i) => [shell(`echo bench-${i}`)]),
  [message('## Summary\nbench run')],
]).flat();
const model = await startScriptedModel(turns);
const dataDir = mkdtempSync(path.join(tmpdir(), 'akm-bench-run-'));
const server = await startServerProcess({
  AKMATORI_DATA_DIR: dataDir,
  ADMIN_PASSWORD: PASSWORD,
  AKMATORI_SECRET_KEY: generateSecretKey().toString('base64'),
  GATEWAY_PORT: '0',
  AKMATORI_WORKER_CAPACITY: '1',
  LOG_LEVEL: 'warn',
});
try {
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  await fetch(`${server.url}/api/settings/llm`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      provider: 'openai-compatible',
      base_url: model.baseUrl,
      api_key: 'sk-bench',
      model: 'scripted-model',
    }),
  });
  for (;;) {
    const workers = (await (await fetch(`${server.url}/api/workers`, { headers })).json()) as {
      data: unknown[];
    };
    if (workers.data.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const eventLatencies: number[] = [];
  const firstEventAt = new Map<string, number>();
  const finished = new Map<string, () => void>();
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws/events`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.on('message', (data) => {
    const received = Date.now();
    const event = JSON.parse(String(data)) as {
      kind: string;
      incident_id: string;
      type: string;
      at: string;
    };
    if (event.kind !== 'run') return; // incident changes carry no event time
    const at = Date.parse(event.at);
    eventLatencies.push(received - at);
    if (!firstEventAt.has(event.incident_id)) firstEventAt.set(event.incident_id, at);
    if (event.type === 'run.completed' || event.type === 'run.failed')
      finished.get(event.incident_id)?.();
  });

  const dispatchLatencies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let uuid = '';
    const done = new Promise<void>((resolve) => {
      const created = fetch(`${server.url}/api/incidents`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ task: `bench ${i}` }),
      });
      void created.then(async (response) => {
        const queuedAt = Date.now();
        uuid = ((await response.json()) as { uuid: string }).uuid;
        finished.set(uuid, () => {
          dispatchLatencies.push((firstEventAt.get(uuid) ?? NaN) - queuedAt);
          resolve();
        });
      });
    });
    await done;
  }
  socket.close();

  const codexVersion = (
    createRequire(import.meta.url)('@openai/codex/package.json') as { version: string }
  ).version;
  out(
    `Run benchmark: ${RUNS} investigations, ${COMMANDS_PER_RUN} shell commands each, real codex ${codexVersion}, one worker`,
  );
  out('');
  out('| measure | p50 | p99 | p99 target | samples | |');
  out('|---|---|---|---|---|---|');
  const row = (measure: string, samples: readonly number[], targetMs: number): void => {
    const p99 = percentile(samples, 99);
    out(
      `| ${measure} | ${percentile(samples, 50)} ms | ${p99} ms | < ${targetMs} ms | ${samples.length} | ${p99 < targetMs ? 'PASS' : 'FAIL'} |`,
    );
  };
  row("dispatch latency (queued → codex's first JSONL line)", dispatchLatencies, 1000);
  row('event latency (JSONL line read by the worker → /ws/events subscriber)', eventLatencies, 50);
} finally {
  server.child.kill('SIGTERM');
  await server.exited();
  await model.close();
  rmSync(dataDir, { recursive: true, force: true });
}
