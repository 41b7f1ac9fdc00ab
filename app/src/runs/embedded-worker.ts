import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger, ResolvedConfig } from '@akmatori/core';

/** A worker child process started by `akmatori serve`. */
export interface EmbeddedWorker {
  /** Stops the child (SIGTERM, then SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/**
 * Starts `akmatori worker` as a child process connected to this API, so `npm start` alone
 * gives the whole system. The child gets a minimal environment: where the API is, its worker
 * token, where to put run workspaces; nothing else of the parent's (no database URL, no
 * secret key, no admin password). Its output joins this process's log stream.
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
    AKMATORI_DATA_DIR: options.config.runsDir,
    LOG_LEVEL: options.config.logLevel,
  };
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--inspect'));
  const child: ChildProcess = spawn(process.execPath, [...execArgv, cli, 'worker'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const log = options.log.child({ component: 'embedded-worker', pid: child.pid });
  log.info('embedded worker started');
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) log.error({ code, signal }, 'embedded worker exited');
      resolve();
    });
  });
  return {
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
