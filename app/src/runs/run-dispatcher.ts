import { randomUUID } from 'node:crypto';
import type { Clock, Logger, PluginHost } from '@akmatori/core';
import type { IncidentRecord, Repositories, SettingsRepository } from '@akmatori/host';
import type { RunGateway, RunHandle, RunSession, RunTask } from '@akmatori/core';
import { CODEX_RUNNER_ID, parseFinalReport } from '@akmatori/runner-codex';
import type { LlmSettings } from '../gateway/llm-settings.js';
import type { RunTokens } from '../gateway/run-tokens.js';
import { incidentSummary, type IncidentEventBus } from '../incidents/incident-event-bus.js';
import { investigationPrompt } from '../incidents/investigation-brief.js';
import type { InvestigationJob, InvestigationQueue } from '../incidents/investigation-queue.js';
import { priceTable, runCost } from './model-prices.js';
import { gatherRunMaterials, runTask, type AssignmentSources } from './run-assignment.js';
import type { RunEventStream } from './run-event-stream.js';
import { RunRecorder } from './run-recorder.js';
import type { RunnerChoice } from './runner-choice.js';
import type { RunRecord, RunRepository } from './run-repository.js';
import { skillScopeOf } from './skill-scope.js';
import { WorkerLostError } from './remote-run.js';
import type { WorkerHub } from './worker-hub.js';
import type { PlacedRunContext } from './workers-runner.js';
import type { RunRecordingStore } from '../replay/run-recording-store.js';

/** A run whose worker disappears is tried again this many times in all. */
const MAX_ATTEMPTS = 3;
/** Jobs one API process takes at once for runners in this process (runner plugins). */
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
  /** Which runner carries out an incident's runs. */
  readonly runners: RunnerChoice;
  readonly runTokens: RunTokens;
  readonly llm: LlmSettings;
  readonly sources: AssignmentSources;
  /** The gateway URL workers are told (known once the gateway listens). */
  readonly gatewayUrl: () => string;
  readonly deadlineMs: number;
  /** Keeps each run's task in its recording, for replay; optional. */
  readonly recordings?: Pick<RunRecordingStore, 'recordTask'>;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Takes due investigation and follow-up jobs and carries each out as a run, always through
 * the Runner contract: the runner chosen for the incident ({@link RunnerChoice}: its alert
 * source's, else the `runner` setting, else `codex`, whose implementation here hands the run
 * to a worker). It builds the run's task (instructions, skills, context files, the incident
 * data) and gateway access (a run token granting only the tools of the skills that apply to
 * the incident), records every event, and at the end stores the report, usage, cost and
 * session, and moves the incident along its lifecycle. A run whose worker disappears is run
 * again, up to three attempts.
 */
export class RunDispatcher {
  readonly #deps: RunDispatcherDeps;
  readonly #stopping = new AbortController();
  /** Runs in progress in this process, by run id: cancelling aborts their signal. */
  readonly #active = new Map<string, ActiveRun>();
  /** The queue loops taking jobs, one job each at a time (see {@link workersChanged}). */
  readonly #loops: string[] = [];
  #fitting: Promise<void> = Promise.resolve();

  constructor(deps: RunDispatcherDeps) {
    this.#deps = deps;
  }

  /** Starts taking jobs: at once with a runner plugin, else when the first worker connects. */
  async start(): Promise<void> {
    if (this.#localRunners()) await this.#fitLoops();
    else this.#deps.log.info('no worker connected yet: investigations wait in the queue');
  }

  /** Whether runners other than the workers' are installed (they run in this process). */
  #localRunners(): boolean {
    return this.#deps.plugins.runners.some((runner) => runner.id !== CODEX_RUNNER_ID);
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
    const active = this.#active.get(runId);
    if (active === undefined) return false;
    active.controller.abort(new Error(reason));
    void active.handle?.cancel(reason).catch((error: unknown) => {
      this.#deps.log.warn({ err: error, run: runId }, 'the runner could not cancel the run');
    });
    return true;
  }

  /** Adds or stops queue loops until there are as many as jobs this process should hold. */
  #fitLoops(): Promise<void> {
    this.#fitting = this.#fitting.then(async () => {
      const target = Math.min(
        MAX_WORKER_JOBS,
        (this.#localRunners() ? PLUGIN_RUNNER_JOBS : 0) + this.#deps.hub.capacity(),
      );
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
    const active: ActiveRun = { controller };
    this.#active.set(run.id, active);
    let ended: RunEnd = { outcome: undefined, session: undefined };
    let error: string | undefined;
    let model: string | undefined;
    try {
      const runner = await this.#deps.runners.choose(await this.#sourceRunner(incident));
      const { task, gateway } = await this.#task(incident, run, requested);
      model = gateway.model;
      await this.#deps.recordings
        ?.recordTask(task)
        .catch((error: unknown) => log.error({ err: error }, 'the run task was not recorded'));
      let placed = false;
      const context: PlacedRunContext = {
        log: log.child({ runner: runner.id }),
        signal,
        gateway,
        placed: async (where) => {
          placed = true;
          await runs.markRunning(run.id, where, clock.now());
        },
      };
      active.handle = runner.start(task, context);
      ended = await this.#record(active.handle, recorder, signal, async () => {
        if (!placed) await context.placed!(`plugin:${runner.id}`);
      });
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
      error = (caught as Error)?.message ?? String(caught);
      if (signal.aborted) ended = { outcome: 'cancelled', session: undefined };
      log.warn({ err: caught }, 'run could not be carried out');
    } finally {
      this.#active.delete(run.id);
    }
    await this.#finish(incident, run, recorder, { ...ended, error, model });
    return 'done';
  }

  /**
   * Records the events of a run as they come (the next is read once this one is stored) and
   * works out how it ended: `run.completed`, or `run.failed` (cancelled when its signal was
   * aborted), and the session the runner kept. Throws what the events throw.
   */
  async #record(
    handle: RunHandle,
    recorder: RunRecorder,
    signal: AbortSignal,
    first: () => Promise<void>,
  ): Promise<RunEnd> {
    let outcome: RunEnd['outcome'];
    let started = false;
    for await (const event of handle.events) {
      // A run is running from its first event (unless its runner said where it runs before).
      if (!started && event.type !== 'run.failed') await first();
      started = true;
      await recorder.next(event, this.#deps.clock.now());
      if (event.type === 'run.completed') outcome = 'completed';
      if (event.type === 'run.failed') outcome = signal.aborted ? 'cancelled' : 'failed';
    }
    if (outcome === undefined)
      await recorder.next(
        { type: 'run.failed', error: 'the runner ended without reporting how the run ended' },
        this.#deps.clock.now(),
      );
    return { outcome: outcome ?? 'failed', session: await handle.session };
  }

  /** The runner the incident's alert source names, if any. */
  async #sourceRunner(incident: IncidentRecord): Promise<string | null> {
    if (incident.sourceId === null) return null;
    return (await this.#deps.repositories.alertSources.get(incident.sourceId))?.runner ?? null;
  }

  /** The run's task, and its access to the gateway (a run token scoped to the run's tools). */
  async #task(
    incident: IncidentRecord,
    run: RunRecord,
    requested: InvestigationJob['requested'],
  ): Promise<{ task: RunTask; gateway: RunGateway }> {
    const { repositories, runs, llm, runTokens, deadlineMs } = this.#deps;
    const settings = await llm.get();
    const alerts = await repositories.alerts.listByIncident(incident.id, {
      limit: ALERTS_READ_FOR_A_RUN,
    });
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
    const url = this.#deps.gatewayUrl().replace(/\/+$/, '');
    return {
      task: runTask(materials, {
        runId: run.id,
        incidentId: incident.id,
        prompt: run.prompt,
        deadlineMs,
        ...(session === undefined
          ? {}
          : {
              resume: {
                id: session.sessionId,
                ...(session.archive === '' ? {} : { state: session.archive }),
              },
            }),
      }),
      gateway: {
        url,
        mcpUrl: `${url}/mcp`,
        modelUrl: `${url}/v1`,
        runToken: token,
        ...(settings === undefined ? {} : { model: settings.model }),
        ...(settings?.reasoning_effort == null
          ? {}
          : { reasoningEffort: settings.reasoning_effort }),
      },
    };
  }

  async #finish(
    incident: IncidentRecord,
    run: RunRecord,
    recorder: RunRecorder,
    ended: RunEnd & {
      error: string | undefined;
      /** The model the run was given, which its tokens are priced at. */
      model: string | undefined;
    },
  ): Promise<void> {
    const { runs, clock, settings } = this.#deps;
    const { error, model } = ended;
    const outcome = ended.outcome ?? 'failed';
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
    const sessionId = ended.session?.id ?? recorder.sessionId;
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
    // A session without state is kept too (a runner that keeps its sessions itself resumes by
    // id), and so is the id of `run.started` from a runner that gives no `session`.
    const session =
      ended.session ?? (recorder.sessionId === undefined ? undefined : { id: recorder.sessionId });
    if (session !== undefined)
      await runs.saveSession(incident.id, session.id, session.state ?? '', clock.now());
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

/** A run in progress here: cancelling aborts its signal and asks its runner to stop it. */
interface ActiveRun {
  readonly controller: AbortController;
  handle?: RunHandle;
}

/** How a run ended, as its events and runner said. */
interface RunEnd {
  /** Undefined when the run never started (the error says why). */
  readonly outcome: 'completed' | 'failed' | 'cancelled' | undefined;
  readonly session: RunSession | undefined;
}

/**
 * The incident's alerts a run reads (oldest first): they choose the skills by their names and
 * labels, and the first 50 are listed for the agent with the count of the rest. A storm's
 * incident holds far more, and reading all of them stalled the server.
 */
const ALERTS_READ_FOR_A_RUN = 1000;
