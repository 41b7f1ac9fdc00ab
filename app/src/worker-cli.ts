import { createLogger, loadConfig, type ResolvedConfig } from '@akmatori/core';
import { startWorker } from '@akmatori/runner-codex';
import type { Command } from 'commander';

/**
 * `akmatori worker`: carries out investigations with the Codex CLI. It connects to the API
 * (`AKMATORI_API_URL`) over WebSocket with `AKMATORI_WORKER_TOKEN`, needs no database and holds
 * no credential: each run brings its own short-lived gateway token.
 */
export function registerWorkerCommand(
  program: Command,
  config: () => ResolvedConfig = () =>
    loadConfig({ file: program.opts<{ config?: string }>().config }),
): void {
  program
    .command('worker')
    .description(
      'run investigations with the Codex CLI for an API (AKMATORI_API_URL, AKMATORI_WORKER_TOKEN)',
    )
    .action(async () => {
      const resolved = config();
      const log = createLogger({ level: resolved.logLevel, name: 'akmatori-worker' });
      if (resolved.workerToken === undefined)
        throw new Error(
          'akmatori worker needs AKMATORI_WORKER_TOKEN (the API prints where to find it)',
        );
      const worker = startWorker({
        apiUrl: resolved.apiUrl,
        workerToken: resolved.workerToken,
        capacity: resolved.workerCapacity,
        runsDir: resolved.runsDir,
        containment: resolved.agentSandbox,
        log,
      });
      log.info({ worker: worker.workerId, api: resolved.apiUrl }, 'worker started');
      let stopping = false;
      const stop = (): void => {
        if (stopping) process.exit(1);
        stopping = true;
        void worker.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
        setTimeout(() => process.exit(1), 15_000).unref();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      // Started by `akmatori serve` (embedded): leave when it is gone, even if it was killed.
      if (process.send !== undefined) {
        process.once('disconnect', stop);
        if (!process.connected) stop(); // serve died while this process was starting
      }
    });
}
