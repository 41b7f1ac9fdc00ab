import { randomUUID } from 'node:crypto';
import type { Clock } from '@akmatori/core';
import type { Database, Repositories } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import { incidentSummary, type IncidentEventBus } from '../incidents/incident-event-bus.js';
import type { InvestigationQueue } from '../incidents/investigation-queue.js';
import type { RunDispatcher } from './run-dispatcher.js';
import type { SkillStore } from '../skills/skill-store.js';
import type { RunRecord, RunRepository } from './run-repository.js';
import { checkSkillNames } from './skill-scope.js';

/** How long a cancel waits for the run to stop. */
const CANCEL_WAIT_MS = 5_000;

/** What {@link RunControl} needs. */
export interface RunControlDeps {
  readonly database: Database;
  readonly repositories: Repositories;
  readonly runs: RunRepository;
  readonly queue: InvestigationQueue;
  readonly dispatcher: RunDispatcher;
  readonly bus: IncidentEventBus;
  readonly skills: Pick<SkillStore, 'list'>;
  readonly clock: Clock;
  /** On PostgreSQL: asks the other API replicas to cancel a run this one does not hold. */
  readonly replicas?: { cancelElsewhere(runId: string, reason: string): Promise<boolean> };
}

/** Operators' controls over runs: cancel an investigation, ask a follow-up question. */
export class RunControl {
  readonly #deps: RunControlDeps;

  constructor(deps: RunControlDeps) {
    this.#deps = deps;
  }

  /**
   * Stops the incident's run (waiting up to 5 s for it to end, unless `wait` is false) and
   * marks the incident cancelled. A pending incident is cancelled before any run starts, and
   * its queued job dropped.
   */
  async cancel(
    incidentId: string,
    by: string,
    options: { wait?: boolean } = {},
  ): Promise<{ run: RunRecord | undefined }> {
    const { repositories, runs, dispatcher, clock, bus, queue } = this.#deps;
    const incident = await repositories.incidents.get(incidentId);
    if (incident === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'incident', id: incidentId });
    if (incident.status !== 'pending' && incident.status !== 'investigating')
      throw AppErrors.AKM_INCIDENT_NOT_RUNNING({ id: incidentId, status: incident.status });
    const cancelled = await repositories.incidents.transition(
      incidentId,
      ['pending', 'investigating'],
      'cancelled',
      clock.now(),
      { summary: `Cancelled by ${by}` },
    );
    if (cancelled !== undefined)
      bus.publish({
        type: 'incident.status_changed',
        incident: incidentSummary(cancelled),
        from: incident.status,
      });
    const jobs = await queue.jobsOf(incidentId);
    await queue.cancel(jobs.waiting.filter((job) => !job.followUp).map((job) => job.id));
    const active = await runs.active(incidentId);
    if (active === undefined) return { run: undefined };
    const reason = `cancelled by ${by}`;
    const held =
      dispatcher.cancel(active.id, reason) ||
      ((await this.#deps.replicas?.cancelElsewhere(active.id, reason)) ?? false);
    // Nobody holds it (its API replica went away): it is only a row to close.
    if (!held)
      await runs.finish(active.id, {
        status: 'cancelled',
        at: clock.now(),
        error: reason,
      });
    if (options.wait === false) return { run: await runs.get(active.id) };
    const deadline = Date.now() + CANCEL_WAIT_MS;
    for (;;) {
      const run = await runs.get(active.id);
      if (
        run === undefined ||
        (run.status !== 'queued' && run.status !== 'running') ||
        Date.now() > deadline
      )
        return { run };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Queues a follow-up: the operator's message resumes the incident's Codex thread on
   * whichever worker takes it. The incident must have finished its last run. The run gets the
   * tools of the `skills` named, or of every enabled skill when none are named (a person asked).
   */
  async followUp(incidentId: string, text: string, skills?: readonly string[]): Promise<RunRecord> {
    const { database, repositories, runs, queue, clock } = this.#deps;
    const incident = await repositories.incidents.get(incidentId);
    if (incident === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'incident', id: incidentId });
    if (incident.status !== 'completed' && incident.status !== 'failed')
      throw AppErrors.AKM_INCIDENT_BUSY({ id: incidentId, status: incident.status });
    if ((await runs.session(incidentId)) === undefined)
      throw AppErrors.AKM_NO_SESSION({ id: incidentId });
    if ((await runs.active(incidentId)) !== undefined)
      throw AppErrors.AKM_INCIDENT_BUSY({ id: incidentId, status: 'a follow-up is queued' });
    if (skills !== undefined) await checkSkillNames(this.#deps.skills, skills, { enabled: true });
    const run = await runs.create({
      id: randomUUID(),
      incidentId,
      kind: 'follow_up',
      prompt: text,
      attempt: 1,
      at: clock.now(),
      skills: skills === undefined ? null : [...new Set(skills)],
    });
    await queue.enqueue(
      database.executeSql.bind(database),
      { incidentId, runId: run.id },
      clock.now(),
    );
    return run;
  }
}
