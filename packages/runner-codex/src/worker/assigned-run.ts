import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger, RunEvent } from '@akmatori/core';
import type { RunAssignment, SessionArchive, WorkerMessage } from '../protocol/worker-protocol.js';
import { runCodex, type CodexRun } from '../run-codex.js';
import type { AgentContainment } from '../sandbox/agent-containment.js';
import type { SandboxProbe } from '../sandbox/probe-agent-sandbox.js';
import type { RunWorkspace } from '../run-workspace.js';
import { checkedSegment, prepareAssignmentWorkspace } from './assignment-workspace.js';
import { RunOutbox, type RunFinishedMessage } from './run-outbox.js';
import { packSession } from './session-archive.js';
import { CODEX_PGID_FILE } from './stale-runs.js';
import type { ResolvedWorkerOptions } from './worker-options.js';

/** What an {@link AssignedRun} needs from its worker. */
export interface AssignedRunContext {
  readonly settings: Pick<
    ResolvedWorkerOptions,
    'runsDir' | 'config' | 'process' | 'maxSessionBytes' | 'bwrapPath'
  >;
  /** What the agent sandbox probe found (undefined: the worker's container is the sandbox). */
  readonly sandbox: Promise<SandboxProbe> | undefined;
  /** Logger scoped to the run. */
  readonly log: Logger;
  /** Sends a message of the run now if the API is connected (the outbox keeps it anyway). */
  readonly send: (message: WorkerMessage) => void;
}

/**
 * One assignment on this worker: prepares its run directory, runs Codex, numbers its events
 * into the {@link RunOutbox} (sending each at once when connected), and at the end packs the
 * Codex session and records `run.finished`. Never logs the run token.
 */
export class AssignedRun {
  readonly runId: string;
  readonly runDir: string;
  readonly outbox: RunOutbox;
  /** Resolves once `run.finished` is recorded (the run never rejects). */
  readonly done: Promise<RunFinishedMessage>;
  #codex: CodexRun | undefined;
  #cancelReason: string | undefined;
  #last: RunEvent | undefined;
  #sessionId: string | undefined;

  constructor(
    private readonly assignment: RunAssignment,
    private readonly context: AssignedRunContext,
  ) {
    this.runId = assignment.runId;
    this.runDir = path.join(context.settings.runsDir, checkedSegment(assignment.runId, 'run id'));
    this.outbox = new RunOutbox(assignment.runId);
    this.#sessionId = assignment.resume?.sessionId;
    this.done = this.#carryOut();
  }

  /** Whether the run has not finished yet. */
  get active(): boolean {
    return this.outbox.finished === undefined;
  }

  /** Stops Codex (or keeps it from starting); resolves once `run.finished` is recorded. */
  async cancel(reason: string): Promise<RunFinishedMessage> {
    if (this.active) {
      this.#cancelReason ??= reason;
      await this.#codex?.cancel(reason);
    }
    return this.done;
  }

  /** Removes the run directory. */
  async remove(): Promise<void> {
    await rm(this.runDir, { recursive: true, force: true });
  }

  async #carryOut(): Promise<RunFinishedMessage> {
    const { log, settings } = this.context;
    let workspace: RunWorkspace | undefined;
    try {
      workspace = await prepareAssignmentWorkspace(this.assignment, this.runDir, settings.config);
      if (this.#cancelReason !== undefined) {
        this.#emit({ type: 'run.failed', error: `cancelled: ${this.#cancelReason}` });
      } else {
        const containment = await this.#containment();
        this.#codex = runCodex({
          ...settings.process,
          containment,
          workspace,
          prompt: this.assignment.prompt,
          runToken: this.assignment.runToken,
          deadlineMs: this.assignment.deadlineMs,
          ...(this.assignment.resume === undefined
            ? {}
            : { resumeSessionId: this.assignment.resume.sessionId }),
          log,
        });
        if (this.#codex.pid !== undefined)
          await writeFile(path.join(this.runDir, CODEX_PGID_FILE), String(this.#codex.pid));
        for await (const event of this.#codex.events) this.#emit(event);
      }
    } catch (error) {
      log.error({ err: error }, 'the run could not start');
      this.#emit({
        type: 'run.failed',
        error: `the run could not start: ${(error as Error).message}`,
      });
    }
    const session = workspace === undefined ? undefined : await this.#packSession(workspace);
    const outcome =
      this.#last?.type === 'run.completed'
        ? 'completed'
        : this.#cancelReason !== undefined
          ? 'cancelled'
          : 'failed';
    const finished = this.outbox.finish({
      outcome,
      ...(this.#sessionId === undefined ? {} : { sessionId: this.#sessionId }),
      ...(session === undefined ? {} : { session }),
    });
    log.info(
      { outcome, lastSeq: finished.lastSeq, session: session !== undefined },
      'run finished',
    );
    this.context.send(finished);
    return finished;
  }

  /** How this run's agent is contained; throws, saying why, when it cannot be. */
  async #containment(): Promise<AgentContainment> {
    const probe = await this.context.sandbox;
    if (probe === undefined) return { kind: 'container' };
    if (!probe.ok) {
      throw new Error(
        `the agent cannot be contained on this worker, so it does not investigate: ${probe.reason}`,
      );
    }
    return {
      kind: 'bwrap',
      gatewayUrl: this.assignment.gatewayUrl,
      innerSandbox: probe.innerSandbox,
      ...(this.context.settings.bwrapPath === undefined
        ? {}
        : { bwrapPath: this.context.settings.bwrapPath }),
    };
  }

  #emit(event: RunEvent): void {
    if (this.#last?.type === 'run.completed' || this.#last?.type === 'run.failed') return;
    this.#last = event;
    if (event.type === 'run.started' && event.sessionId !== undefined) {
      this.#sessionId = event.sessionId;
    }
    this.context.send(this.outbox.add(event));
  }

  async #packSession(workspace: RunWorkspace): Promise<SessionArchive | undefined> {
    if (this.#sessionId === undefined) return undefined;
    try {
      return await packSession(workspace.codexHome, {
        maxArchiveBytes: this.context.settings.maxSessionBytes,
      });
    } catch (error) {
      this.context.log.error(
        { err: error },
        'the Codex session is not sent back: a follow-up cannot resume this run',
      );
      return undefined;
    }
  }
}
