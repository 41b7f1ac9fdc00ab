import type { Clock, Database, Repositories } from '@akmatori/core';
import { AppErrors } from '../errors.js';
import type { RunRepository } from '../runs/run-repository.js';
import { checkSkillNames } from '../runs/skill-scope.js';
import type { SkillStore } from '../skills/skill-store.js';
import type { InvestigationQueue } from './investigation-queue.js';

/**
 * Starts a fresh investigation of an incident by hand: one that was stored but not queued
 * because its alert source's investigation queue was full, or one whose investigation
 * failed (a budget ran out, the worker was lost) or completed. The incident must not be
 * pending, investigating or cancelled, and have no queued or running run. The run gets the
 * tools of the `skills` named (each must exist and be enabled, else `AKM_UNKNOWN_SKILL`), or of
 * every enabled skill when none are named: a person asked for it.
 *
 * @example
 * ```ts
 * await reinvestigate({ database, repositories, runs, queue, clock, skills }, incidentId, ['high-cpu']);
 * ```
 */
export async function reinvestigate(
  deps: {
    readonly database: Database;
    readonly repositories: Pick<Repositories, 'incidents'>;
    readonly runs: Pick<RunRepository, 'active'>;
    readonly queue: Pick<InvestigationQueue, 'enqueue'>;
    readonly clock: Clock;
    readonly skills: Pick<SkillStore, 'list'>;
  },
  incidentId: string,
  skills?: readonly string[],
): Promise<void> {
  const incident = await deps.repositories.incidents.get(incidentId);
  if (incident === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'incident', id: incidentId });
  if (incident.status !== 'completed' && incident.status !== 'failed')
    throw AppErrors.AKM_INCIDENT_BUSY({ id: incidentId, status: incident.status });
  if ((await deps.runs.active(incidentId)) !== undefined)
    throw AppErrors.AKM_INCIDENT_BUSY({ id: incidentId, status: 'a run is queued' });
  if (skills !== undefined) await checkSkillNames(deps.skills, skills, { enabled: true });
  await deps.queue.enqueue(
    deps.database.executeSql.bind(deps.database),
    { incidentId, requested: { skills: skills === undefined ? null : [...new Set(skills)] } },
    deps.clock.now(),
  );
}
