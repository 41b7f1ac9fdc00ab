import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@akmatori/core';
import type { ResolvedConfig } from '@akmatori/host';

/** A worker child process started by `akmatori serve`. */
export interface EmbeddedWorker {
  /** Stops the child (SIGTERM, then SIGKILL after 15 s) and stops restarting it. */
  stop(): Promise<void>;
}

/** Restart delays after unexpected exits: 1 s, doubling, at most 30 s. */
const FIRST_RESTART_MS = 1_000;
const MAX_RESTART_MS = 30_000;
/** A child that ran this long without exiting resets the delay. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * Starts `akmatori worker` as a child process connected to this API, so `npm start` alone
 * gives the whole system, and starts it again (with backoff) when it dies. The child gets a
 * minimal environment: where the API is, its worker token, where to put run workspaces, and
 * that each run's agent is sandboxed with bubblewrap; nothing else of the parent's (no database
 * URL, no secret key, no admin password). Its
 * output joins this process's log stream.
 */
export function startEmbeddedWorker(options: {
  config: ResolvedConfig;
  apiUrl: string;
  workerToken: string;
  log: Logger;
}): EmbeddedWorker {
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: options.config.runsDir,
    LANG: process.env.LANG ?? 'C.UTF-8',
    AKMATORI_API_URL: options.apiUrl,
    AKMATORI_WORKER_TOKEN: options.workerToken,
    AKMATORI_RUNS_DIR: options.config.runsDir,
    AKMATORI_WORKER_CAPACITY: String(options.config.workerCapacity),
    // On the machine that holds the data directory, the agent is always in its sandbox.
    AKMATORI_AGENT_SANDBOX: 'bwrap',
    LOG_LEVEL: options.config.logLevel,
  };
  const inherited = process.execArgv.filter((arg) => !arg.startsWith('--inspect'));
  // The worker relays a run's events and allocates little: a 1 MB young generation (V8's
  // default grows to 16 MB per semi-space) keeps it ~8 MB smaller at idle.
  const execArgv = inherited.some((arg) => arg.startsWith('--max-semi-space-size'))
    ? inherited
    : [...inherited, '--max-semi-space-size=1'];
  const log = options.log.child({ component: 'embedded-worker' });
  let stopping = false;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let delay = FIRST_RESTART_MS;
  let restartTimer: NodeJS.Timeout | undefined;

  const launch = (): void => {
    const startedAt = Date.now();
    const current = spawn(process.execPath, [...execArgv, cli, 'worker'], {
      env,
      // The IPC channel closes when this process dies, however it dies: the worker then exits.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = current;
    log.info({ pid: current.pid }, 'embedded worker started');
    exited = new Promise<void>((resolve) => {
      current.once('exit', (code, signal) => {
        resolve();
        if (stopping) return;
        if (Date.now() - startedAt > HEALTHY_AFTER_MS) delay = FIRST_RESTART_MS;
        log.error({ pid: current.pid, code, signal, restartInMs: delay }, 'embedded worker exited');
        restartTimer = setTimeout(launch, delay);
        delay = Math.min(delay * 2, MAX_RESTART_MS);
      });
    });
  };
  launch();

  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const current = child;
      if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
