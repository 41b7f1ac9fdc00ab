// Start-up time and idle memory of `akmatori serve` on the embedded database, each figure
// printed next to its target:
// - first start: `akmatori serve` on an empty data dir (the cluster is initialised) → first 200
//   on GET /health;
// - restart: the same on that data dir again;
// - `npm start` on a tree already built, existing data dir → first 200 on /health;
// - idle memory: resident set size (VmRSS) of `akmatori serve` (with its in-process gateway) plus
//   its embedded worker, once the worker has connected and the stack has had no request for
//   BENCH_IDLE_SECONDS (default 60). V8 returns the start-up's garbage to the system only when
//   its memory reducer runs, ~10–40 s into the quiet: the figure 5 s after the worker
//   connected, still holding it, is printed beside it.
// Usage: npm run build && node bench/startup.mjs [rounds]   (BENCH_IDLE_SECONDS, default 60)
// Exits 1 when a median misses its target.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'app/bin/akmatori.js');
const rounds = Number(process.argv[2] ?? 3);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const settlingSeconds = Math.min(5, idleSeconds);

const targets = {
  first: 5,
  restart: 2,
  npmStart: 2,
  idleMb: 300,
};

function environment(dataDir, port) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AKMATORI_DATA_DIR: path.join(dataDir, 'data'),
    AKMATORI_RUNS_DIR: path.join(dataDir, 'runs'),
    PORT: String(port),
    GATEWAY_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
}

/** Starts a command in its own process group; resolves the time to the first 200 on /health. */
function start(command, args, env, port) {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  let cpuAtHealth = NaN;
  const workerConnected = new Promise((resolve) => {
    const watch = (chunk) => {
      output += chunk;
      if (output.length > 1_000_000) output = output.slice(-100_000);
      if (output.includes('worker connected to the API')) resolve(performance.now() - started);
    };
    child.stdout.setEncoding('utf8').on('data', watch);
    child.stderr.setEncoding('utf8').on('data', watch);
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const health = (async () => {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.status === 200) {
          cpuAtHealth = cpuSeconds(child.pid);
          return (performance.now() - started) / 1000;
        }
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (performance.now() - started > 60_000) throw new Error('no /health within 60 s');
    }
  })();
  return {
    child,
    health,
    /** CPU seconds (user + system, all threads) the process had used at its first 200. */
    cpu: () => cpuAtHealth,
    workerConnected,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, 20_000);
      await exited;
      // `npm start` exits before its child (which still closes the database): wait for the
      // whole process group, so the data dir is not removed under a process still writing it.
      while (groupAlive(child.pid)) await new Promise((resolve) => setTimeout(resolve, 20));
      clearTimeout(timer);
    },
  };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// The `akmatori` command itself (app/bin/akmatori.js), so its shebang's Node flags count.
const serveCommand = (dataDir, port) => start(bin, ['serve'], environment(dataDir, port), port);

/** Kibibytes of `field` in /proc/<pid>/status or smaps_rollup; 0 when the process is gone. */
function procKb(pid, file, field) {
  try {
    const text = readFileSync(`/proc/${pid}/${file}`, 'utf8');
    const match = text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used; clock ticks are 1/100 s on Linux. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

function childrenOf(pid) {
  const found = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (list !== '') found.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return found;
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(-2).join(' ').trim();
  } catch {
    return '?';
  }
}

/** RSS and PSS (MB) of a process and all its descendants, by process. */
function treeMemory(pid) {
  const rows = [];
  const visit = (current) => {
    rows.push({
      pid: current,
      command: commandOf(current),
      rss: procKb(current, 'status', 'VmRSS') / 1024,
      pss: procKb(current, 'smaps_rollup', 'Pss') / 1024,
    });
    for (const child of childrenOf(current)) visit(child);
  };
  visit(pid);
  return rows;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const runs = (values, digits) => values.map((v) => v.toFixed(digits)).join(', ');
let failed = false;
function report(label, values, target, unit, digits) {
  const value = median(values);
  const pass = value < target;
  if (!pass) failed = true;
  process.stdout.write(
    `  ${label.padEnd(44)} median ${value.toFixed(digits).padStart(6)} ${unit}  target < ${target} ${unit}  ${pass ? 'PASS' : 'FAIL'}  (runs: ${runs(values, digits)})\n`,
  );
}

const first = [];
const firstCpu = [];
const restart = [];
const restartCpu = [];
const npmStart = [];
const idle = [];
const idlePss = [];
const settling = [];
const breakdown = [];
for (let round = 0; round < rounds; round++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'akm-bench-startup-'));
  try {
    const port = 18500 + round;
    let server = serveCommand(dir, port);
    try {
      first.push(await server.health);
      firstCpu.push(server.cpu());
    } finally {
      await server.stop();
    }
    server = serveCommand(dir, port);
    try {
      restart.push(await server.health);
      restartCpu.push(server.cpu());
      await server.workerConnected;
      await new Promise((resolve) => setTimeout(resolve, settlingSeconds * 1000));
      settling.push(treeMemory(server.child.pid).reduce((sum, row) => sum + row.rss, 0));
      await new Promise((resolve) => setTimeout(resolve, (idleSeconds - settlingSeconds) * 1000));
      const rows = treeMemory(server.child.pid);
      idle.push(rows.reduce((sum, row) => sum + row.rss, 0));
      idlePss.push(rows.reduce((sum, row) => sum + row.pss, 0));
      breakdown.push(rows);
    } finally {
      await server.stop();
    }
    server = start(
      'npm',
      ['start', '--silent'],
      { ...environment(dir, port), npm_config_update_notifier: 'false' },
      port,
    );
    try {
      npmStart.push(await server.health);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.stdout.write(
  `akmatori serve, embedded database, ${rounds} rounds (memory measured after ${idleSeconds} s without requests)\n`,
);
report('first start (empty data dir) → /health', first, targets.first, 's', 2);
report('restart (existing data dir) → /health', restart, targets.restart, 's', 2);
process.stdout.write(
  `  (CPU time serve had used at its first 200, less sensitive to other load on the machine: first start ${median(firstCpu).toFixed(2)} s, restart ${median(restartCpu).toFixed(2)} s)\n`,
);
report('npm start (built tree, existing dir) → /health', npmStart, targets.npmStart, 's', 2);
report('idle RSS, serve + gateway + worker', idle, targets.idleMb, 'MB', 0);
process.stdout.write(
  `  (${settlingSeconds} s after the worker connected, before V8 returned the start-up's garbage: median ${median(settling).toFixed(0)} MB; runs: ${runs(settling, 0)})\n`,
);
process.stdout.write(
  `  (proportional set size of the same processes, shared pages split: median ${median(idlePss).toFixed(0)} MB)\n`,
);
const last = breakdown.at(-1) ?? [];
for (const row of last)
  process.stdout.write(
    `    pid ${String(row.pid).padEnd(8)} ${row.command.padEnd(40)} RSS ${row.rss.toFixed(0).padStart(4)} MB  PSS ${row.pss.toFixed(0).padStart(4)} MB\n`,
  );
process.exitCode = failed ? 1 : 0;
