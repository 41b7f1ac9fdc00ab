import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  scrubSecrets,
  silentLogger,
  type Logger,
  type RunEvent,
  type RunHandle,
} from '@akmatori/core';
import { CodexEventMapper, type CodexExit } from './codex-event-mapper.js';
import { EventQueue } from './event-queue.js';
import { LineSplitter, TailBuffer } from './output-buffers.js';
import { stopProcessGroup } from './process-group.js';
import type { RunWorkspace } from './run-workspace.js';
import type { AgentContainment } from './sandbox/agent-containment.js';
import { codexLaunch, type CodexLaunch } from './sandbox/codex-launch.js';
import { sessionUsageTotals } from './session-usage.js';

/** What {@link runCodex} runs. */
export interface RunCodexOptions {
  /** The prepared run directory (see `prepareRunWorkspace`). */
  readonly workspace: Pick<RunWorkspace, 'runDir' | 'workspaceDir' | 'codexHome' | 'tmpDir'>;
  /** The prompt for this turn. */
  readonly prompt: string;
  /** The run token, handed to Codex in its environment only (and scrubbed from its output). */
  readonly runToken: string;
  /**
   * How the agent is kept from the rest of the machine: a bubblewrap sandbox per run (`bwrap`,
   * what a worker on a shared machine must use), or the worker's own container (`container`).
   */
  readonly containment: AgentContainment;
  /** Thread id to continue (`codex exec resume`); its session must be in this workspace's Codex home. */
  readonly resumeSessionId?: string;
  /** The longest the run may take, in milliseconds. Default 30 minutes; then it is stopped and fails. */
  readonly deadlineMs?: number;
  /** How long Codex may take to exit after SIGTERM before SIGKILL, in milliseconds. Default 3000. */
  readonly killGraceMs?: number;
  /** Extra `-c key=value` config overrides. */
  readonly configOverrides?: readonly string[];
  /** Cancels the run when aborted (its reason becomes the cancel reason). */
  readonly signal?: AbortSignal;
  /** Logger for process lifecycle messages (never the token or the prompt). */
  readonly log?: Logger;
  /** The Codex entry point to run with Node in a `container`. Default: this package's `@openai/codex/bin/codex.js`. */
  readonly codexEntryPoint?: string;
  /** PATH of the Codex process in a `container`. Default: the worker's. (The sandbox has its own.) */
  readonly path?: string;
  /** LANG of the Codex process. Default: the worker's, else `C.UTF-8`. */
  readonly lang?: string;
  /** Longest JSONL line read, in bytes; a longer one is dropped with an `agent.error`. Default 1 MiB. */
  readonly maxLineBytes?: number;
  /** How much of the end of stderr is kept for failure messages, in bytes. Default 64 KiB. */
  readonly maxStderrBytes?: number;
}

/** Defaults of {@link RunCodexOptions}. */
export const runCodexDefaults = Object.freeze({
  deadlineMs: 30 * 60_000,
  killGraceMs: 3_000,
  maxLineBytes: 1024 * 1024,
  maxStderrBytes: 64 * 1024,
});

/** How long the output of an exited Codex may stay open before it is cut off, in milliseconds. */
const STDIO_DRAIN_MS = 2_000;

/** A running Codex process. */
export interface CodexRun extends RunHandle {
  /** Process id of Codex, which leads its own process group; undefined when it could not start. */
  readonly pid: number | undefined;
  /** Resolves once the process has exited and its last event is queued. */
  readonly exited: Promise<CodexExit>;
  /** The kept end of stderr so far, with the run token scrubbed. */
  stderrTail(): string;
}

/**
 * Runs `codex exec --json` in a prepared workspace and streams its events as
 * {@link RunEvent}s, ending with exactly one `run.completed` (the final agent message) or
 * `run.failed` (turn failure, non-zero exit with the stderr tail, deadline, cancel). Codex
 * gets an environment built from scratch (see `codexEnvironment`), no stdin, and its own
 * process group, which `cancel` and the deadline stop as a whole (SIGTERM, then SIGKILL
 * after the grace period). Stopping reading the events cancels the run.
 *
 * @example
 * ```ts
 * const run = runCodex({ workspace, prompt: 'Investigate the incident.', runToken });
 * for await (const event of run.events) log.info({ event }, 'run event');
 * ```
 */
export function runCodex(options: RunCodexOptions): CodexRun {
  const settings = { ...runCodexDefaults, ...definedOnly(options) };
  const log = options.log ?? silentLogger();
  // The run token is in Codex's environment: whatever it prints of it is scrubbed.
  const redact = (text: string): string => scrubSecrets(text, [options.runToken]);
  const mapper = new CodexEventMapper();
  const stderr = new TailBuffer(settings.maxStderrBytes);
  const queue = new EventQueue<RunEvent>(
    () => void stop('cancelled: the reader of the events stopped'),
  );
  let stopReason: string | undefined;
  let finished = false;

  let launch: CodexLaunch | undefined;
  let child: ChildProcess;
  try {
    launch = codexLaunch({
      containment: options.containment,
      workspace: options.workspace,
      exec: {
        prompt: options.prompt,
        ...(options.resumeSessionId === undefined
          ? {}
          : { resumeSessionId: options.resumeSessionId }),
        ...(options.configOverrides === undefined
          ? {}
          : { configOverrides: options.configOverrides }),
      },
      runToken: options.runToken,
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.lang === undefined ? {} : { lang: options.lang }),
      ...(options.codexEntryPoint === undefined
        ? {}
        : { codexEntryPoint: options.codexEntryPoint }),
      log,
    });
    child = spawn(launch.command, [...launch.args], {
      cwd: launch.cwd,
      env: { ...launch.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
  } catch (error) {
    log.error({ err: error }, 'codex could not be started');
    child = notStarted(error as Error);
  }

  const lines = new LineSplitter(
    settings.maxLineBytes,
    (line) => {
      for (const event of mapper.mapLine(redact(line))) queue.push(event);
    },
    (bytes) =>
      queue.push({
        type: 'agent.error',
        message: `a Codex event of ${bytes} bytes was dropped (limit ${settings.maxLineBytes})`,
      }),
  );
  child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk));
  child.stdout?.pause();
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const baseline =
    options.resumeSessionId === undefined
      ? Promise.resolve(undefined)
      : sessionUsageTotals(options.workspace.codexHome, options.resumeSessionId).catch(
          () => undefined,
        );
  void baseline.then((totals) => {
    mapper.setUsageBaseline(totals);
    child.stdout?.resume();
  });

  const exited = new Promise<CodexExit>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      launch?.close();
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      lines.end();
      const exit: CodexExit = { code, signal, stderrTail: redact(stderr.text()) };
      log.info({ pid: child.pid, code, signal, stopReason }, 'codex exited');
      queue.push(
        stopReason === undefined ? mapper.outcome(exit) : { type: 'run.failed', error: stopReason },
      );
      queue.end();
      resolve(exit);
    };
    child.on('close', finish);
    // A process outside the group that inherited stdout could hold it open: stop waiting.
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, STDIO_DRAIN_MS).unref();
    });
    child.on('error', (error) => {
      if (child.pid !== undefined) return;
      stopReason ??= `could not start codex: ${error.message}`;
      finish(null, null);
    });
  });

  async function stop(reason: string): Promise<void> {
    if (finished) return;
    stopReason ??= reason;
    log.info({ pid: child.pid, reason }, 'stopping codex');
    if (child.pid !== undefined) await stopProcessGroup(child.pid, exited, settings.killGraceMs);
    await exited;
  }

  const deadline = setTimeout(
    () => void stop(`the run exceeded its deadline of ${describeDuration(settings.deadlineMs)}`),
    settings.deadlineMs,
  );
  const onAbort = (): void => void stop(`cancelled: ${abortReason(options.signal)}`);
  if (options.signal?.aborted === true) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  if (child.pid !== undefined) {
    log.info({ pid: child.pid, resume: options.resumeSessionId !== undefined }, 'codex started');
  }

  return {
    pid: child.pid,
    events: queue,
    exited,
    stderrTail: () => redact(stderr.text()),
    cancel: (reason?: string) => stop(reason === undefined ? 'cancelled' : `cancelled: ${reason}`),
  };
}

/** A stand-in for a process that could not be spawned: it only emits `error` (as spawn does for a missing binary). */
function notStarted(error: Error): ChildProcess {
  const child = new EventEmitter();
  setImmediate(() => child.emit('error', error));
  return child as unknown as ChildProcess;
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : 'the host is stopping';
}

function describeDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
