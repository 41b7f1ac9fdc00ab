import { randomUUID } from 'node:crypto';
import type { Clock, Logger, PluginHost, Repositories, Runner } from '@akmatori/core';
import { incidentSummary, type IncidentEventBus } from './incident-event-bus.js';
import { investigationContext, investigationPrompt } from './investigation-brief.js';
import type { InvestigationQueue } from './investigation-queue.js';

/**
 * Takes due investigation jobs from the queue and runs each with a runner plugin, moving the
 * incident through its lifecycle: pending → investigating → completed | failed. With no runner
 * registered, jobs stay queued until one is.
 */
export class InvestigationDispatcher {
  readonly #repositories: Repositories;
  readonly #plugins: PluginHost;
  readonly #queue: InvestigationQueue;
  readonly #bus: IncidentEventBus;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #stopping = new AbortController();

  constructor(deps: {
    repositories: Repositories;
    plugins: PluginHost;
    queue: InvestigationQueue;
    bus: IncidentEventBus;
    clock: Clock;
    log: Logger;
  }) {
    this.#repositories = deps.repositories;
    this.#plugins = deps.plugins;
    this.#queue = deps.queue;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  /** The runner investigations use: the first registered one. */
  get runner(): Runner | undefined {
    return this.#plugins.runners[0];
  }

  /** Starts taking jobs, if a runner is registered. */
  async start(pollingIntervalSeconds = 1): Promise<void> {
    if (this.runner === undefined) {
      this.#log.info('no runner plugin registered: investigations wait in the queue');
      return;
    }
    await this.#queue.work((job) => this.investigate(job.incidentId), pollingIntervalSeconds);
  }

  /** Asks running investigations to stop (the queue stop waits for them). */
  stop(): void {
    this.#stopping.abort();
  }

  /** Runs the investigation of one incident, unless another worker already started it. */
  async investigate(incidentId: string): Promise<void> {
    const runner = this.runner;
    if (runner === undefined) throw new Error('no runner registered');
    const started = await this.#repositories.incidents.transition(
      incidentId,
      ['pending'],
      'investigating',
      this.#clock.now(),
    );
    if (started === undefined) return;
    this.#bus.publish({
      type: 'incident.status_changed',
      incident: incidentSummary(started),
      from: 'pending',
    });

    const runId = randomUUID();
    const log = this.#log.child({ incident: incidentId, run: runId, runner: runner.id });
    let summary: string | undefined;
    let failure: string | undefined;
    let lastMessage = '';
    try {
      const alerts = await this.#repositories.alerts.listByIncident(incidentId);
      const handle = runner.start(
        {
          runId,
          incidentId,
          prompt: investigationPrompt(started),
          context: investigationContext(started, alerts),
          skills: [],
        },
        { log, signal: this.#stopping.signal },
      );
      for await (const event of handle.events) {
        if (event.type === 'agent.message') lastMessage = event.text;
        if (event.type === 'run.completed') summary = event.summary;
        if (event.type === 'run.failed') failure = event.error;
      }
    } catch (error) {
      failure = (error as Error)?.message ?? String(error);
    }
    const outcome = failure === undefined ? 'completed' : 'failed';
    const finished = await this.#repositories.incidents.transition(
      incidentId,
      ['investigating'],
      outcome,
      this.#clock.now(),
      {
        summary:
          failure === undefined ? (summary ?? lastMessage) : `Investigation failed: ${failure}`,
      },
    );
    log.info({ outcome }, 'investigation finished');
    if (finished === undefined) return;
    this.#bus.publish({
      type: 'incident.status_changed',
      incident: incidentSummary(finished),
      from: 'investigating',
    });
    if (outcome === 'completed') {
      this.#bus.publish({
        type: 'incident.completed',
        incident: incidentSummary(finished),
        summary: finished.summary ?? '',
      });
    }
  }
}
