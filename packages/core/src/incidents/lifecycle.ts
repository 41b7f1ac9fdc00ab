import type { IncidentStatus } from '../contracts/incident.js';

/**
 * The investigation lifecycle of an incident, as a state machine. Whether its alerts still
 * fire is tracked apart (`firing_count`, `alerts_resolved_at`), because an investigation can
 * finish while alerts fire and alerts can resolve mid-investigation.
 *
 * ```
 * pending ──▶ investigating ──▶ completed
 *    │              │  ▲  └────▶ failed
 *    │              ▼  │ (follow-up, retry)
 *    └──────▶ cancelled ◀─ completed | failed
 * ```
 */
export const incidentTransitions: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> =
  Object.freeze({
    pending: Object.freeze(['investigating', 'cancelled'] as const),
    investigating: Object.freeze(['completed', 'failed', 'cancelled'] as const),
    completed: Object.freeze(['investigating'] as const),
    failed: Object.freeze(['investigating'] as const),
    cancelled: Object.freeze([] as const),
  });

/** Every incident status. */
export const incidentStatuses: readonly IncidentStatus[] = Object.freeze(
  Object.keys(incidentTransitions) as IncidentStatus[],
);

/** True when an incident may move from `from` to `to`. */
export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return incidentTransitions[from].includes(to);
}

/** The statuses an incident may move to `to` from. */
export function statusesLeadingTo(to: IncidentStatus): IncidentStatus[] {
  return incidentStatuses.filter((from) => canTransition(from, to));
}
