import {
  type Clock,
  type IncidentActor,
  type IncidentState,
  incidentStateTransitions,
  statesLeadingTo,
} from '@akmatori/core';
import type { IncidentRecord, Repositories } from '@akmatori/host';
import { actingUserId, type Principal } from '../auth/principal.js';
import { AppErrors } from '../errors.js';
import { incidentSummary, type IncidentEventBus } from './incident-event-bus.js';

/** What a person can do to an incident's own state. */
export type IncidentStateAction = 'acknowledge' | 'resolve' | 'reopen';

/** The state each action leads to. */
export const stateAfter: Readonly<Record<IncidentStateAction, IncidentState>> = Object.freeze({
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  reopen: 'open',
});

/** What {@link IncidentLifecycle.apply} did. */
export interface StateActionResult {
  /** The incident as it is now. */
  readonly incident: IncidentRecord;
  /** False when the incident was already in the state asked for (nothing changed). */
  readonly changed: boolean;
}

/** What {@link IncidentLifecycle} needs. */
export interface IncidentLifecycleDeps {
  readonly repositories: Pick<Repositories, 'incidents'>;
  readonly bus: Pick<IncidentEventBus, 'publish'>;
  readonly clock: Clock;
}

/** The actor recorded for a request's principal: the user (a token's creator) and the name. */
export function actorOf(principal: Principal): IncidentActor {
  return { kind: principal.kind, userId: actingUserId(principal), name: principal.name };
}

/**
 * The incident's own lifecycle as people drive it: acknowledge, resolve, reopen. Each is
 * idempotent (an incident already in the state asked for is answered as it is) and refused
 * with `AKM_INCIDENT_STATE_CONFLICT` where the state machine has no such move (acknowledging
 * a resolved incident: reopen it first). Changes are compare-and-set, so two people acting at
 * once cannot both win, and each is published as `incident.state_changed`. The automatic
 * moves (resolved when all alerts resolve, reopened when one fires again) are the incident
 * engine's.
 *
 * @example
 * ```ts
 * const { incident, changed } = await lifecycle.apply(id, 'acknowledge', actorOf(request.principal));
 * ```
 */
export class IncidentLifecycle {
  readonly #deps: IncidentLifecycleDeps;

  constructor(deps: IncidentLifecycleDeps) {
    this.#deps = deps;
  }

  /** Applies `action` to the incident as `actor`. Throws `AKM_NOT_FOUND`, `AKM_INCIDENT_STATE_CONFLICT`. */
  async apply(
    id: string,
    action: IncidentStateAction,
    actor: IncidentActor,
  ): Promise<StateActionResult> {
    const { repositories, bus, clock } = this.#deps;
    const to = stateAfter[action];
    for (;;) {
      const incident = await repositories.incidents.get(id);
      if (incident === undefined) throw AppErrors.AKM_NOT_FOUND({ what: 'incident', id });
      if (incident.state === to) return { incident, changed: false };
      if (!incidentStateTransitions[incident.state].includes(to))
        throw AppErrors.AKM_INCIDENT_STATE_CONFLICT(
          { id, state: incident.state, action, from: statesLeadingTo(to) },
          { details: { state: incident.state, action, allowed_from: statesLeadingTo(to) } },
        );
      const changed = await repositories.incidents.setState(
        id,
        [incident.state],
        to,
        actor,
        clock.now(),
      );
      if (changed === undefined) continue; // changed meanwhile: judge the new state
      bus.publish({
        type: 'incident.state_changed',
        incident: incidentSummary(changed),
        from: incident.state,
        by: actor,
      });
      return { incident: changed, changed: true };
    }
  }
}
