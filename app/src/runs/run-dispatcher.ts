import { randomUUID } from 'node:crypto';
import type { Clock, Logger, PluginHost } from '@akmatori/core';
import type { IncidentRecord, Repositories, SettingsRepository } from '@akmatori/host';
import { parseFinalReport, type RunAssignment } from '@akmatori/runner-codex';
import type { LlmSettings } from '../gateway/llm-settings.js';
import type { RunTokens } from '../gateway/run-tokens.js';
import { incidentSummary, type IncidentEventBus } from '../incidents/incident-event-bus.js';
import { investigationPrompt } from '../incidents/investigation-brief.js';
import type { InvestigationJob, InvestigationQueue } from '../incidents/investigation-queue.js';
import { priceTable, runCost } from './model-prices.js';
import { gatherRunMaterials, runAssignment, type AssignmentSources } from './run-assignment.js';
import type { RunEventStream } from './run-event-stream.js';
import {
  isReadableArchive,
  pluginExecutor,
  remoteExecutor,
  type RunExecutor,
} from './run-executors.js';
import { RunRecorder } from './run-recorder.js';
import type { RunRecord, RunRepository } from './run-repository.js';
import { skillScopeOf } from './skill-scope.js';
import { WorkerLostError } from './remote-run.js';
import type { WorkerHub } from './worker-hub.js';

/** A run whose worker disappears is tried again this many times in all. */
const MAX_ATTEMPTS = 3;
/** Jobs handled at once by one API process running them on runner plugins. */
const PLUGIN_RUNNER_JOBS = 8;
/** The most jobs one API process takes at once on its workers, however many slots they have. */
const MAX_WORKER_JOBS = 64;

/** What the dispatcher needs. */
export interface RunDispatcherDeps {
  readonly repositories: Repositories;
  readonly settings: SettingsRepository;
  readonly plugins: PluginHost;
  readonly queue: InvestigationQueue;
  readonly bus: IncidentEventBus;
  readonly runs: RunRepository;
  readonly stream: RunEventStream;
  readonly hub: WorkerHub;
  readonly runTokens: RunTokens;
  readonly llm: LlmSettings;
  readonly sources: AssignmentSources;
  /** The gateway URL workers are told (known once the gateway listens). */
  readonly gatewayUrl: () => string;
  readonly deadlineMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Takes due investigation and follow-up jobs and carries each out as a run: on a runner
 * plugin when one is registered, otherwise on the workers connected to the hub. It builds the
 * run (materials, a run token granting only the tools of the skills that apply to the
 * incident), records every event, and at
 * the end stores the report, usage, cost and session, and moves the incident along its
 * lifecycle. A run whose worker disappears is run again, up to three attempts.
 */
export class RunDispatcher {
  readonly #deps: RunDispatcherDeps;
  readonly #stopping = new AbortController();
  /** Runs in progress in this process, by run id: cancelling aborts their signal. */
  readonly #active = new Map<string, AbortController>();
  /** The queue loops taking jobs, one job each at a time (see {@link workersChanged}). */
  readonly #loops: string[] = [];
  #fitting: Promise<void> = Promise.resolve();

  constructor(deps: RunDispatcherDeps) {
    this.#deps = deps;
  }

  /** Starts taking jobs: at once with a runner plugin, else when the first worker connects. */
  async start(): Promise<void> {
    if (this.#deps.plugins.runners.length > 0) await this.#fitLoops();
    else this.#deps.log.info('no worker connected yet: investigations wait in the queue');
  }

  /**
   * Called when a worker connects, disconnects or is let go: this process takes as many
   * queued jobs at once as its connected workers have slots, so it never holds a job it has no
   * worker for while another replica's workers are free (a job in hand keeps its place).
   */
  async workersChanged(): Promise<void> {
    await this.#fitLoops();
  }

  /** Asks running investigations to stop (the queue stop waits for them). */
  stop(): void {
    this.#stopping.abort();
  }

  /** Cancels a run in progress in this process; false when it is not here. */
  cancel(runId: string, reason: string): boolean {
    const controller = this.#active.get(runId);
    if (controller === undefined) return false;
    if (!this.#deps.hub.cancel(runId, reason)) controller.abort(new Error(reason));
    return true;
  }

  /** Adds or stops queue loops until there are as many as jobs this process should hold. */
  #fitLoops(): Promise<void> {
    this.#fitting = this.#fitting.then(async () => {
      const target =
        this.#deps.plugins.runners.length > 0
          ? PLUGIN_RUNNER_JOBS
          : Math.min(MAX_WORKER_JOBS, this.#deps.hub.capacity());
      if (this.#stopping.signal.aborted) return;
      while (this.#loops.length < target)
        this.#loops.push(await this.#deps.queue.work((job) => this.run(job)));
      while (this.#loops.length > target) await this.#deps.queue.stopWorking(this.#loops.pop()!);
    });
    this.#fitting = this.#fitting.catch((error: unknown) =>
      this.#deps.log.error({ err: error }, 'could not change how many jobs this process takes'),
    );
    return this.#fitting;
  }

  /** Carries out one job. */
  async run(job: InvestigationJob): Promise<void> {
    const { repositories, runs, clock } = this.#deps;
    const incident = await repositories.incidents.get(job.incidentId);
    if (incident === undefined || incident.status === 'cancelled') return;
    const followUp = job.runId !== undefined;
    const queued = followUp ? await runs.get(job.runId!) : undefined;
    if (followUp && (queued === undefined || queued.status !== 'queued')) return;
    const started = await this.#beginInvestigating(incident);
    if (started === undefined) return;

    const prompt = queued?.prompt ?? investigationPrompt(started);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const run =
        attempt === 1 && queued !== undefined
          ? queued
          : await runs.create({
              id: randomUUID(),
              incidentId: incident.id,
              kind: followUp ? 'follow_up' : 'investigation',
              prompt,
              attempt,
              at: clock.now(),
              skills: queued?.skills ?? null,
            });
      const ended = await this.#attempt(started, run, job.requested);
      if (ended !== 'worker-lost') return;
      this.#deps.log.warn(
        { incident: incident.id, run: run.id, attempt },
        'worker lost: running again',
      );
    }
    await this.#endIncident(
      incident.id,
      'failed',
      `Investigation failed: the worker was lost ${MAX_ATTEMPTS} times`,
    );
  }

  async #beginInvestigating(incident: IncidentRecord): Promise<IncidentRecord | undefined> {
    const { repositories, bus, clock } = this.#deps;
    if (incident.status === 'investigating') return incident; // a retry after the API restarted
    const started = await repositories.incidents.transition(
      incident.id,
      ['pending', 'completed', 'failed'],
      'investigating',
      clock.now(),
    );
    if (started !== undefined)
      bus.publish({
        type: 'incident.status_changed',
        incident: incidentSummary(started),
        from: incident.status,
      });
    return started;
  }

  async #attempt(
    incident: IncidentRecord,
    run: RunRecord,
    requested: InvestigationJob['requested'],
  ): Promise<'done' | 'worker-lost'> {
    const { runs, clock } = this.#deps;
    const log = this.#deps.log.child({ incident: incident.id, run: run.id });
    const recorder = new RunRecorder({
      runs,
      stream: this.#deps.stream,
      runId: run.id,
      incidentId: incident.id,
    });
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, this.#stopping.signal]);
    this.#active.set(run.id, controller);
    let result: Awaited<ReturnType<RunExecutor>> | undefined;
    let error: string | undefined;
    let model: string | undefined;
    try {
      const assignment = await this.#assignment(incident, run, requested);
      model = assignment.model;
      result = await this.#executor()(assignment, recorder, signal, (workerId) =>
        runs.markRunning(run.id, workerId, clock.now()),
      );
    } catch (caught) {
      if (caught instanceof WorkerLostError) {
        await runs.finish(run.id, {
          status: 'failed',
          at: clock.now(),
          error: caught.message,
          usage: recorder.usage,
        });
        return 'worker-lost';
      }
      error = signal.aborted
        ? 'cancelled before a worker took it'
        : ((caught as Error)?.message ?? String(caught));
      log.warn({ err: caught }, 'run could not be carried out');
    } finally {
      this.#active.delete(run.id);
    }
    await this.#finish(incident, run, recorder, {
      result,
      error,
      model,
      cancelled: signal.aborted,
    });
    return 'done';
  }

  #executor(): RunExecutor {
    const runner = this.#deps.plugins.runners[0];
    return runner === undefined
      ? remoteExecutor(this.#deps.hub)
      : pluginExecutor(runner, this.#deps.log);
  }

  async #assignment(
    incident: IncidentRecord,
    run: RunRecord,
    requested: InvestigationJob['requested'],
  ): Promise<RunAssignment> {
    const { repositories, runs, llm, runTokens, deadlineMs } = this.#deps;
    const settings = await llm.get();
    if (settings === undefined && this.#deps.plugins.runners.length === 0)
      throw new Error('the LLM provider is not configured: set it with PUT /api/settings/llm');
    const alerts = await repositories.alerts.listByIncident(incident.id);
    const scope = await skillScopeOf(
      { knex: this.#deps.sources.knex, repositories },
      incident,
      run,
      requested,
    );
    const materials = await gatherRunMaterials(this.#deps.sources, incident, alerts, scope);
    const { token } = await runTokens.sign({
      runId: run.id,
      incidentId: incident.id,
      grants: materials.grants,
      model: true,
      ttlSeconds: Math.ceil(deadlineMs / 1000) + 600,
    });
    const session = run.kind === 'follow_up' ? await runs.session(incident.id) : undefined;
    if (run.kind === 'follow_up' && session === undefined)
      throw new Error('no earlier session of this incident to follow up on');
    return runAssignment(materials, {
      runId: run.id,
      incidentId: incident.id,
      prompt: run.prompt,
      gatewayUrl: this.#deps.gatewayUrl(),
      runToken: token,
      model: settings?.model ?? 'unconfigured',
      ...(settings?.reasoning_effort == null ? {} : { reasoningEffort: settings.reasoning_effort }),
      deadlineMs,
      ...(session === undefined
        ? {}
        : { resume: { sessionId: session.sessionId, archive: { gzipBase64: session.archive } } }),
    });
  }

  async #finish(
    incident: IncidentRecord,
    run: RunRecord,
    recorder: RunRecorder,
    ended: {
      result: Awaited<ReturnType<RunExecutor>> | undefined;
      error: string | undefined;
      /** The model the run was given, which its tokens are priced at. */
      model: string | undefined;
      /** Cancelled before any worker reported an end. */
      cancelled: boolean;
    },
  ): Promise<void> {
    const { runs, clock, settings } = this.#deps;
    const { result, error, model } = ended;
    const outcome = result?.outcome ?? (ended.cancelled ? 'cancelled' : 'failed');
    const failure = outcome === 'completed' ? undefined : (recorder.failure ?? error ?? outcome);
    if (error !== undefined && recorder.failure === undefined)
      await recorder.next({ type: 'run.failed', error }, clock.now());
    const markdown = outcome === 'completed' ? (recorder.summary ?? recorder.lastMessage) : null;
    // Codex reports no usage for a turn that failed (a spend budget ran out, say): then the
    // run's tokens are what the gateway recorded for its model calls.
    const usage = hasTokens(recorder.usage)
      ? recorder.usage
      : ((await runs.gatewayUsage(run.id)) ?? recorder.usage);
    const cost = runCost(
      usage,
      model === undefined ? undefined : (await priceTable(settings))[model],
    );
    const sessionId = result?.sessionId ?? recorder.sessionId;
    await runs.finish(run.id, {
      status: outcome,
      at: clock.now(),
      error: failure ?? null,
      sessionId: sessionId ?? null,
      reportMarkdown: markdown,
      report: markdown === null ? null : { ...parseFinalReport(markdown) },
      usage,
      costUsd: cost,
    });
    if (
      sessionId !== undefined &&
      result?.session !== undefined &&
      isReadableArchive(result.session)
    )
      await runs.saveSession(incident.id, sessionId, result.session.gzipBase64, clock.now());
    if (outcome === 'cancelled') return; // the cancel request moved the incident already
    await this.#endIncident(
      incident.id,
      outcome === 'completed' ? 'completed' : 'failed',
      outcome === 'completed' ? (markdown ?? '') : `Investigation failed: ${failure}`,
    );
  }

  async #endIncident(
    incidentId: string,
    to: 'completed' | 'failed',
    summary: string,
  ): Promise<void> {
    const { repositories, bus, clock } = this.#deps;
    const finished = await repositories.incidents.transition(
      incidentId,
      ['investigating'],
      to,
      clock.now(),
      { summary },
    );
    this.#deps.log.info({ incident: incidentId, outcome: to }, 'investigation finished');
    if (finished === undefined) return;
    bus.publish({
      type: 'incident.status_changed',
      incident: incidentSummary(finished),
      from: 'investigating',
    });
    if (to === 'completed')
      bus.publish({
        type: 'incident.completed',
        incident: incidentSummary(finished),
        summary: finished.summary ?? '',
      });
  }
}

/** True when a usage counts any token. */
const hasTokens = (usage: { inputTokens: number; outputTokens: number }): boolean =>
  usage.inputTokens + usage.outputTokens > 0;
