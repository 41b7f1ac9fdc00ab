import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  defineRunner,
  type RunEvent,
  type RunGateway,
  type Runner,
  type RunSession,
} from '@akmatori/core';
import type { CodexConfigOptions } from './codex-config.js';
import { EventQueue } from './event-queue.js';
import { runCodex, type CodexRun, type RunCodexOptions } from './run-codex.js';
import type { AgentContainment } from './sandbox/agent-containment.js';
import type { RunWorkspace } from './run-workspace.js';
import { checkedSegment, prepareTaskWorkspace } from './task-workspace.js';
import { packSession } from './worker/session-archive.js';
import { CODEX_PGID_FILE } from './worker/stale-runs.js';

type Maybe<T> = T | Promise<T>;

/** The id of the Codex runner. */
export const CODEX_RUNNER_ID = 'codex';

/** How {@link codexRunner} runs each task. */
export interface CodexRunnerOptions {
  /** Directory holding the run directories, one per run: `<runsDir>/<runId>/`. */
  readonly runsDir: string;
  /**
   * How the agent is contained, for a run reaching `gateway`; throw to refuse the run. Default:
   * a bubblewrap sandbox per run that reaches only the gateway.
   */
  readonly containment?: (gateway: RunGateway) => Maybe<AgentContainment>;
  /** More Codex config settings (timeouts, retries, sandbox network…). */
  readonly config?: Omit<CodexConfigOptions, 'gatewayUrl' | 'model' | 'reasoningEffort'>;
  /** Process settings passed to `runCodex`. */
  readonly process?: Pick<
    RunCodexOptions,
    | 'killGraceMs'
    | 'codexEntryPoint'
    | 'path'
    | 'lang'
    | 'maxLineBytes'
    | 'maxStderrBytes'
    | 'configOverrides'
  >;
  /** Largest session state kept for follow-ups (bytes of base64); larger is left out. */
  readonly maxSessionBytes?: number;
}

/**
 * The Codex runner (id `codex`): for each task it builds the run directory
 * `<runsDir>/<runId>/` from the task (AGENTS.md from its instructions, its skills and context
 * files, a Codex config pointing at the context's gateway for the model and the tools, and
 * for a follow-up the Codex session restored from `resume.state`), runs `codex exec --json`
 * with the run token, streams the run events, and at the end packs the Codex session as the
 * handle's `session` so a follow-up can resume it on any machine. Cancelling, or aborting the
 * context's signal, stops Codex. Errors while preparing end the events with `run.failed`.
 * The caller removes the run directory when it no longer needs it.
 *
 * The API does not run it itself: its `codex` runner hands the task to a worker, whose
 * assigned run starts this runner with the same task and context.
 *
 * @example
 * ```ts
 * const runner = codexRunner({ runsDir: '/var/lib/akmatori/runs' });
 * const handle = runner.start(task, { log, signal, gateway });
 * for await (const event of handle.events) console.log(event.type);
 * ```
 */
export function codexRunner(options: CodexRunnerOptions): Runner {
  return defineRunner({
    id: CODEX_RUNNER_ID,
    displayName: 'OpenAI Codex',
    start(task, context) {
      let run: CodexRun | undefined;
      let cancelReason: string | undefined;
      let sessionId = task.resume?.id;
      let workspace: RunWorkspace | undefined;
      const queue = new EventQueue<RunEvent>(() => void cancel('the reader of the events stopped'));
      const stopped = (): string | undefined =>
        cancelReason ?? (context.signal.aborted ? 'the host is stopping' : undefined);
      const push = (event: RunEvent): void => {
        if (event.type === 'run.started' && event.sessionId !== undefined)
          sessionId = event.sessionId;
        queue.push(event);
      };

      const driving = (async (): Promise<void> => {
        try {
          const runDir = path.join(options.runsDir, checkedSegment(task.runId, 'run id'));
          workspace = await prepareTaskWorkspace(task, context.gateway, runDir, options.config);
          const containment = await (options.containment?.(context.gateway) ?? {
            kind: 'bwrap' as const,
            gatewayUrl: context.gateway.url,
          });
          const reason = stopped();
          if (reason !== undefined) {
            queue.push({ type: 'run.failed', error: `cancelled: ${reason}` });
            return;
          }
          run = runCodex({
            ...options.process,
            workspace,
            prompt: task.prompt,
            runToken: context.gateway.runToken,
            containment,
            ...(task.resume === undefined ? {} : { resumeSessionId: task.resume.id }),
            deadlineMs: task.deadlineMs,
            signal: context.signal,
            log: context.log,
          });
          if (run.pid !== undefined)
            await writeFile(path.join(runDir, CODEX_PGID_FILE), String(run.pid));
          for await (const event of run.events) push(event);
        } catch (error) {
          context.log.error({ err: error }, 'the Codex run could not start');
          queue.push({
            type: 'run.failed',
            error: `the run could not start: ${(error as Error).message}`,
          });
        } finally {
          queue.end();
        }
      })();

      const session = driving.then(async (): Promise<RunSession | undefined> => {
        if (sessionId === undefined) return undefined;
        if (workspace === undefined) return { id: sessionId };
        try {
          const archive = await packSession(workspace.codexHome, {
            ...(options.maxSessionBytes === undefined
              ? {}
              : { maxArchiveBytes: options.maxSessionBytes }),
          });
          return { id: sessionId, state: archive.gzipBase64 };
        } catch (error) {
          context.log.error(
            { err: error },
            'the Codex session is not kept: a follow-up cannot resume this run',
          );
          return { id: sessionId };
        }
      });

      async function cancel(reason?: string): Promise<void> {
        cancelReason ??= reason ?? 'cancelled';
        await run?.cancel(reason);
        await driving;
      }

      return { events: queue, cancel, session };
    },
  });
}
