import type { Clock } from '@akmatori/core';
import type { Database, IncidentRecord, Repositories } from '@akmatori/host';
import { AppErrors } from '../errors.js';
import type { RunRepository } from '../runs/run-repository.js';
import { checkSkillNames } from '../runs/skill-scope.js';
import type { SkillStore } from '../skills/skill-store.js';
import { incidentSummary, type IncidentEventBus } from './incident-event-bus.js';
import type { InvestigationQueue } from './investigation-queue.js';

/** A run with no job carrying it, older than this, was lost (the API stopped while it ran). */
const LOST_RUN_AFTER_MS = 60_000;

/** What {@link reinvestigate} needs. */
export interface ReinvestigationDeps {
  readonly database: Database;
  readonly repositories: Pick<Repositories, 'incidents'>;
  readonly runs: Pick<RunRepository, 'active' | 'finish'>;
  readonly queue: Pick<InvestigationQueue, 'enqueue' | 'jobsOf' | 'cancel'>;
  readonly clock: Clock;
  readonly skills: Pick<SkillStore, 'list'>;
  readonly bus?: Pick<IncidentEventBus, 'publish'>;
}

/**
 * Starts a fresh investigation of an incident by hand, whatever its investigation's state, as
 * long as none is going or queued: one that failed (the LLM was not configured yet, a budget ran
 * out, the worker was lost), was never queued (its alert source's queue was full), completed,
 * or was cancelled. The incident goes back to `pending` and its job is queued in the same
 * transaction. Refused with `AKM_INCIDENT_BUSY` while its run goes on, a follow-up waits, or it
 * is pending with its investigation queued. Jobs of a cancelled or finished incident that
 * never started are dropped, and a run left `running` with no job carrying it (the API stopped
 * mid-run) is marked failed. The run gets the tools of the `skills` named (each must exist and
 * be enabled, else `AKM_UNKNOWN_SKILL`), or of every enabled skill when none are named.
 *
 * @example
 * ```ts
 * await reinvestigate({ database, repositories, runs, queue, clock, skills }, incidentId, ['high-cpu']);
 * ```
 */
export async function reinvestigate(
  deps: ReinvestigationDeps,
  incidentId: string,
  skills?: readonly string[],
): Promise<IncidentRecord> {
  const { repositories, queue, clock } = deps;
  const incident = await repositories.incidents.get(incidentId);
  if (incident === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'incident', id: incidentId });
  if (skills !== undefined) await checkSkillNames(deps.skills, skills, { enabled: true });
  await refuseWhileBusy(deps, incident);

  const queued = await deps.database.transaction(async (sql) => {
    const moved =
      incident.status === 'pending'
        ? incident
        : await repositories.incidents.transition(
            incidentId,
            [incident.status],
            'pending',
            clock.now(),
            {},
            sql,
          );
    if (moved === undefined) return undefined;
    await queue.enqueue(
      sql,
      { incidentId, requested: { skills: skills === undefined ? null : [...new Set(skills)] } },
      clock.now(),
    );
    return moved;
  });
  if (queued === undefined)
    throw AppErrors.AKM_INCIDENT_BUSY({ id: incidentId, status: 'changing: try again' });
  if (incident.status !== 'pending')
    deps.bus?.publish({
      type: 'incident.status_changed',
      incident: incidentSummary(queued),
      from: incident.status,
    });
  return queued;
}

/** Throws `AKM_INCIDENT_BUSY` while a run of the incident goes on or waits; clears leftovers. */
async function refuseWhileBusy(deps: ReinvestigationDeps, incident: IncidentRecord): Promise<void> {
  const { id } = incident;
  const jobs = await deps.queue.jobsOf(id);
  if (jobs.active > 0) throw AppErrors.AKM_INCIDENT_BUSY({ id, status: 'being investigated' });
  if (jobs.waiting.some((job) => job.followUp))
    throw AppErrors.AKM_INCIDENT_BUSY({ id, status: 'waiting for a follow-up run' });
  if (incident.status === 'pending' && jobs.waiting.length > 0)
    throw AppErrors.AKM_INCIDENT_BUSY({ id, status: 'pending: its investigation is queued' });
  const run = await deps.runs.active(id);
  if (run !== undefined) {
    if (deps.clock.now().getTime() - run.createdAt.getTime() < LOST_RUN_AFTER_MS)
      throw AppErrors.AKM_INCIDENT_BUSY({ id, status: `running (run ${run.id})` });
    await deps.runs.finish(run.id, {
      status: 'failed',
      at: deps.clock.now(),
      error: 'lost: no job was carrying the run any more (the API stopped while it ran)',
    });
  }
  // An investigation queued before the incident was cancelled or finished would be skipped.
  await deps.queue.cancel(jobs.waiting.map((job) => job.id));
}
