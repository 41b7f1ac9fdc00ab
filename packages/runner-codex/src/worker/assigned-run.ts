import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger, RunEvent, RunGateway, RunHandle } from '@akmatori/core';
import { codexRunner } from '../codex-runner.js';
import { CodexRunnerErrors } from '../errors.js';
import { taskOfAssignment } from '../protocol/assignment-task.js';
import type { RunAssignment, WorkerMessage } from '../protocol/worker-protocol.js';
import type { AgentContainment } from '../sandbox/agent-containment.js';
import type { SandboxProbe } from '../sandbox/probe-agent-sandbox.js';
import { checkedSegment } from '../task-workspace.js';
import { RunOutbox, type RunFinishedMessage } from './run-outbox.js';
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
 * One assignment on this worker: starts the Codex runner ({@link codexRunner}, the same
 * Runner contract every investigation goes through) with the assignment's task and gateway,
 * numbers its events into the {@link RunOutbox} (sending each at once when connected), and at
 * the end records `run.finished` with the session the runner kept. Never logs the run token.
 */
export class AssignedRun {
  readonly runId: string;
  readonly runDir: string;
  readonly outbox: RunOutbox;
  /** Resolves once `run.finished` is recorded (the run never rejects). */
  readonly done: Promise<RunFinishedMessage>;
  #handle: RunHandle | undefined;
  readonly #stop = new AbortController();
  #cancelReason: string | undefined;
  #last: RunEvent | undefined;

  constructor(
    private readonly assignment: RunAssignment,
    private readonly context: AssignedRunContext,
  ) {
    this.runId = assignment.runId;
    this.runDir = path.join(context.settings.runsDir, checkedSegment(assignment.runId, 'run id'));
    this.outbox = new RunOutbox(assignment.runId);
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
      this.#stop.abort(new Error(reason));
      await this.#handle?.cancel(reason);
    }
    return this.done;
  }

  /** Removes the run directory. */
  async remove(): Promise<void> {
    await rm(this.runDir, { recursive: true, force: true });
  }

  async #carryOut(): Promise<RunFinishedMessage> {
    const { log, settings } = this.context;
    const runner = codexRunner({
      runsDir: settings.runsDir,
      containment: (gateway) => this.#containment(gateway),
      ...(settings.config === undefined ? {} : { config: settings.config }),
      ...(settings.process === undefined ? {} : { process: settings.process }),
      maxSessionBytes: settings.maxSessionBytes,
    });
    let session: Awaited<RunHandle['session']>;
    try {
      const { task, gateway } = taskOfAssignment(this.assignment);
      this.#handle = runner.start(task, { log, signal: this.#stop.signal, gateway });
      for await (const event of this.#handle.events) this.#emit(event);
      session = await this.#handle.session;
    } catch (error) {
      log.error({ err: error }, 'the run could not start');
      this.#emit({
        type: 'run.failed',
        error: `the run could not start: ${(error as Error).message}`,
      });
    }
    const outcome =
      this.#last?.type === 'run.completed'
        ? 'completed'
        : this.#cancelReason !== undefined
          ? 'cancelled'
          : 'failed';
    const sessionId = session?.id ?? this.assignment.resume?.sessionId;
    const finished = this.outbox.finish({
      outcome,
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(session?.state === undefined ? {} : { session: { gzipBase64: session.state } }),
    });
    log.info(
      { outcome, lastSeq: finished.lastSeq, session: session?.state !== undefined },
      'run finished',
    );
    this.context.send(finished);
    return finished;
  }

  /** How this run's agent is contained; throws, saying why, when it cannot be. */
  async #containment(gateway: RunGateway): Promise<AgentContainment> {
    const probe = await this.context.sandbox;
    if (probe === undefined) return { kind: 'container' };
    if (!probe.ok) {
      throw CodexRunnerErrors.AKM_CODEX_CONTAINMENT_UNAVAILABLE({ reason: probe.reason });
    }
    return {
      kind: 'bwrap',
      gatewayUrl: gateway.url,
      innerSandbox: probe.innerSandbox,
      ...(this.context.settings.bwrapPath === undefined
        ? {}
        : { bwrapPath: this.context.settings.bwrapPath }),
    };
  }

  #emit(event: RunEvent): void {
    if (this.#last?.type === 'run.completed' || this.#last?.type === 'run.failed') return;
    this.#last = event;
    this.context.send(this.outbox.add(event));
  }
}
