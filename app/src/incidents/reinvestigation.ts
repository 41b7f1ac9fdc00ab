import type { Clock, Database, Repositories } from '@akmatori/core';
import { AppErrors } from '../errors.js';
import type { RunRepository } from '../runs/run-repository.js';
import type { InvestigationQueue } from './investigation-queue.js';

/**
 * Starts a fresh investigation of an incident by hand: one that was stored but not queued
 * because its alert source's investigation queue was full, or one whose investigation
 * failed (a budget ran out, the worker was lost) or completed. The incident must not be
 * pending, investigating or cancelled, and have no queued or running run.
 *
 * @example
 * ```ts
 * await reinvestigate({ database, repositories, runs, queue, clock }, incidentId);
 * ```
 */
export async function reinvestigate(
  deps: {
    readonly database: Database;
    readonly repositories: Pick<Repositories, 'incidents'>;
    readonly runs: Pick<RunRepository, 'active'>;
    readonly queue: Pick<InvestigationQueue, 'enqueue'>;
    readonly clock: Clock;
  },
  incidentId: string,
): Promise<void> {
  const incident = await deps.repositories.incidents.get(incidentId);
  if (incident === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'incident', id: incidentId });
  if (incident.status !== 'completed' && incident.status !== 'failed')
    throw AppErrors.AKM_INCIDENT_BUSY({ id: incidentId, status: incident.status });
  if ((await deps.runs.active(incidentId)) !== undefined)
    throw AppErrors.AKM_INCIDENT_BUSY({ id: incidentId, status: 'a run is queued' });
  await deps.queue.enqueue(
    deps.database.executeSql.bind(deps.database),
    { incidentId },
    deps.clock.now(),
  );
}
