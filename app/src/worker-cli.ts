import { createLogger } from '@akmatori/core';
import { loadConfig, type ResolvedConfig } from '@akmatori/host/config';
import { startWorker } from '@akmatori/runner-codex';
import type { Command } from 'commander';
import { scrubEnvironment } from './scrub-environment.js';
import { AppErrors } from './errors.js';

/** Exit status when the API refuses the worker for good (its token, say): `EX_CONFIG`. */
export const WORKER_REFUSED_EXIT_CODE = 78;

/**
 * `akmatori worker`: carries out investigations with the Codex CLI. It connects to the API
 * (`AKMATORI_API_URL`) over WebSocket with its own worker token (`AKMATORI_WORKER_TOKEN`,
 * created with `POST /api/workers/tokens`), needs no database and holds no other credential:
 * each run brings its own short-lived gateway token. When the API refuses the worker for good
 * (a missing, unknown or revoked token, an unsupported protocol, a worker id in use under
 * another token) it logs why and exits with {@link WORKER_REFUSED_EXIT_CODE}. Once read, the
 * token is scrubbed from the process's environment (see {@link scrubEnvironment}), so the
 * agent's commands cannot read it from `/proc/<worker pid>/environ`.
 */
export function registerWorkerCommand(
  program: Command,
  config: () => ResolvedConfig = () =>
    loadConfig({ file: program.opts<{ config?: string }>().config }),
): void {
  program
    .command('worker')
    .description(
      'run investigations with the Codex CLI for an API (AKMATORI_API_URL, AKMATORI_WORKER_TOKEN: a token from POST /api/workers/tokens)',
    )
    .action(async () => {
      const resolved = config();
      const log = createLogger({ level: resolved.logLevel, name: 'akmatori-worker' });
      if (resolved.workerToken === undefined) throw AppErrors.AKM_WORKER_TOKEN_REQUIRED();
      if (!scrubEnvironment('AKMATORI_WORKER_TOKEN'))
        log.warn(
          'the worker token could not be scrubbed from /proc/self/environ: processes of this user can read it there',
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
      const stop = (exitCode = 0): void => {
        if (stopping) process.exit(1);
        stopping = true;
        void worker.stop().then(
          () => process.exit(exitCode),
          () => process.exit(1),
        );
        setTimeout(() => process.exit(1), 15_000).unref();
      };
      // The connection logged the API's reason; another attempt would be refused the same way.
      void worker.refused.then(() => stop(WORKER_REFUSED_EXIT_CODE));
      process.once('SIGTERM', () => stop());
      process.once('SIGINT', () => stop());
      // Started by `akmatori serve` (embedded): leave when it is gone, even if it was killed.
      if (process.send !== undefined) {
        process.once('disconnect', () => stop());
        if (!process.connected) stop(); // serve died while this process was starting
      }
    });
}
