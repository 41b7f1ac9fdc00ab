/**
 * Sandbox benchmark: what the agent sandbox adds to starting Codex. In one run it alternates
 * the same turn (the real codex 0.169 answering a scripted model on loopback) with Codex started
 * directly (`container`) and inside the bubblewrap sandbox (`bwrap`), and prints p50 and p99 of:
 *
 * - start: spawn → Codex's first JSONL line (`thread.started`);
 * - run: spawn → the run's last event.
 *
 * Target: the sandbox adds at most 150 ms to the p50 start (it is one bwrap, one small Node
 * relay, and the network namespace set-up, against Codex's own ~300 ms start).
 *
 *   npm run bench:sandbox
 *   BENCH_RUNS=30 npm run bench:sandbox
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { prepareRunWorkspace, renderAgentsMd, runCodex } from '@akmatori/runner-codex';
import { message, startScriptedModel } from '@akmatori/runner-codex/testing';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 150;
const out = (line = ''): void => void process.stdout.write(`${line}\n`);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const modes = ['container', 'bwrap'] as const;
const model = await startScriptedModel(
  Array.from({ length: RUNS * modes.length + 2 }, () => [message('ok')]),
);
const gatewayUrl = model.baseUrl.replace(/\/v1$/, '');
const root = mkdtempSync(path.join(tmpdir(), 'akm-bench-sandbox-'));
const samples = {
  container: { start: [] as number[], run: [] as number[] },
  bwrap: { start: [] as number[], run: [] as number[] },
};

try {
  for (let i = -1; i < RUNS; i++) {
    for (const mode of modes) {
      const workspace = await prepareRunWorkspace({
        runDir: path.join(root, `${mode}-${i + 1}`),
        config: {
          gatewayUrl,
          model: 'scripted-model',
          requestMaxRetries: 0,
          streamMaxRetries: 0,
          requireGatewayTools: false,
        },
        agentsMd: renderAgentsMd({ context: 'bench' }),
      });
      const began = performance.now();
      const run = runCodex({
        workspace,
        prompt: 'Say ok.',
        runToken: 'bench-token',
        containment: mode === 'bwrap' ? { kind: 'bwrap', gatewayUrl } : { kind: 'container' },
      });
      let started: number | undefined;
      let last: string | undefined;
      for await (const event of run.events) {
        started ??= performance.now() - began;
        last = event.type;
      }
      if (last !== 'run.completed')
        throw new Error(`${mode} run ended with ${last}: ${run.stderrTail()}`);
      if (i >= 0) {
        samples[mode].start.push(started ?? NaN);
        samples[mode].run.push(performance.now() - began);
      }
    }
  }
} finally {
  await model.close();
  rmSync(root, { recursive: true, force: true });
}

const ms = (value: number): string => `${Math.round(value)} ms`;
out(
  `Sandbox benchmark: ${RUNS} runs per mode, alternating, real codex, scripted model on loopback`,
);
out();
out('| measure | container p50 | container p99 | bwrap p50 | bwrap p99 | added at p50 |');
out('|---|---|---|---|---|---|');
for (const measure of ['start', 'run'] as const) {
  const direct = percentile(samples.container[measure], 50);
  const sandboxed = percentile(samples.bwrap[measure], 50);
  out(
    `| ${measure === 'start' ? 'start (spawn → first JSONL line)' : 'run (spawn → last event)'} | ${ms(direct)} | ${ms(percentile(samples.container[measure], 99))} | ${ms(sandboxed)} | ${ms(percentile(samples.bwrap[measure], 99))} | ${ms(sandboxed - direct)} |`,
  );
}
const added = percentile(samples.bwrap.start, 50) - percentile(samples.container.start, 50);
out();
out(
  `target: the sandbox adds ≤ ${TARGET_MS} ms to the p50 start: ${added <= TARGET_MS ? 'met' : 'MISSED'} (${ms(added)})`,
);
