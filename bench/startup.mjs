// Time from starting `akmatori serve` to its first 200 on GET /health, on the embedded
// database: once on an empty data dir (the cluster is initialised) and then on the same dir.
// Usage: npm run build && node bench/startup.mjs [rounds]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../app/dist/cli.js', import.meta.url));
const rounds = Number(process.argv[2] ?? 3);

async function timeToHealth(dataDir, port) {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: {
      PATH: process.env.PATH,
      AKMATORI_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.status === 200) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (performance.now() - started > 60_000) throw new Error('no /health within 60 s');
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  }
}

const first = [];
const later = [];
for (let round = 0; round < rounds; round++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'akm-bench-startup-'));
  try {
    first.push(await timeToHealth(dir, 18500 + round));
    later.push(await timeToHealth(dir, 18600 + round));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (values) =>
  `median ${median(values).toFixed(2)} s (runs: ${values.map((v) => v.toFixed(2)).join(', ')})`;
process.stdout.write(
  `akmatori serve → first 200 on /health, embedded database, ${rounds} rounds\n`,
);
process.stdout.write(`  empty data dir:    ${fmt(first)}\n`);
process.stdout.write(`  existing data dir: ${fmt(later)}\n`);
