import type { IncidentState, IncidentStatus } from '../contracts/incident.js';

/**
 * The investigation lifecycle of an incident, as a state machine. The incident's own state
 * (open, acknowledged, resolved: {@link incidentStateTransitions}) and whether its alerts still
 * fire (`firing_count`, `alerts_resolved_at`) are tracked apart, because an investigation can
 * finish while alerts fire and alerts can resolve mid-investigation.
 *
 * ```
 * pending ──▶ investigating ──▶ completed
 *    │  ▲           │  ▲  └────▶ failed
 *    │  │           ▼  │ (follow-up, retry)
 *    └──┼───▶ cancelled
 *       └── completed | failed | cancelled | investigating (queued again by hand)
 * ```
 *
 * `investigating → pending` is for an investigation whose run was lost without a trace (no
 * queued job, no run going): a person may queue it again.
 */
export const incidentTransitions: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> =
  Object.freeze({
    pending: Object.freeze(['investigating', 'cancelled'] as const),
    investigating: Object.freeze(['completed', 'failed', 'cancelled', 'pending'] as const),
    completed: Object.freeze(['investigating', 'pending'] as const),
    failed: Object.freeze(['investigating', 'pending'] as const),
    cancelled: Object.freeze(['pending'] as const),
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

/**
 * The incident's own state, as a state machine: apart from its investigation.
 *
 * ```
 * open ──▶ acknowledged ──▶ resolved
 *   └──────────────────────▶ resolved ──▶ open (reopened: an alert fired again, or by hand)
 * ```
 */
export const incidentStateTransitions: Readonly<Record<IncidentState, readonly IncidentState[]>> =
  Object.freeze({
    open: Object.freeze(['acknowledged', 'resolved'] as const),
    acknowledged: Object.freeze(['resolved'] as const),
    resolved: Object.freeze(['open'] as const),
  });

/** Every incident state. */
export const incidentStates: readonly IncidentState[] = Object.freeze(
  Object.keys(incidentStateTransitions) as IncidentState[],
);

/** The states an incident may move to `to` from. */
export function statesLeadingTo(to: IncidentState): IncidentState[] {
  return incidentStates.filter((from) => incidentStateTransitions[from].includes(to));
}
