import type { AlertSeverity } from './alert.js';

/**
 * Where an incident's investigation is: waiting in the queue (`pending`), running, or over.
 * The incident's own state (open, acknowledged, resolved) is {@link IncidentState}.
 */
export type IncidentStatus = 'pending' | 'investigating' | 'completed' | 'failed' | 'cancelled';

/**
 * The incident's own state, apart from its investigation: `open` until someone acknowledges
 * or resolves it, `resolved` by a person or, for an alert-triggered incident, automatically
 * when all its alerts resolve; a resolved incident is reopened when one of its alerts fires
 * again.
 */
export type IncidentState = 'open' | 'acknowledged' | 'resolved';

/** Who changed an incident's state: a user, an API token (acting for its creator) or Akmatori. */
export interface IncidentActor {
  /** `system` for automatic changes (all alerts resolved, an alert fired again). */
  readonly kind: 'user' | 'api_token' | 'system';
  /** The user acting (a token's creator); null for `system`. */
  readonly userId: string | null;
  /** The user's login name, the token's name, or `system`. */
  readonly name: string;
}

/** What notifiers and the dashboard are told about an incident. */
export interface IncidentSummary {
  /** Public identifier. */
  uuid: string;
  /** Human title, usually from the first alert. */
  title: string;
  /** The investigation's state. */
  status: IncidentStatus;
  /** The incident's own state: open, acknowledged or resolved. */
  state: IncidentState;
  /** Highest severity among its alerts. */
  severity: AlertSeverity;
  /** The alert source type that opened it, or `manual`. */
  sourceType: string;
  /** When it was opened. */
  createdAt: Date;
  /** When it last changed. */
  updatedAt: Date;
}

/** Something that happened to an incident, delivered to every notifier. */
export type IncidentEvent =
  | { type: 'incident.created'; incident: IncidentSummary }
  | { type: 'incident.status_changed'; incident: IncidentSummary; from: IncidentStatus }
  | {
      type: 'incident.state_changed';
      incident: IncidentSummary;
      from: IncidentState;
      by: IncidentActor;
    }
  | { type: 'incident.alerts_resolved'; incident: IncidentSummary }
  | { type: 'incident.finding'; incident: IncidentSummary; text: string }
  | { type: 'incident.completed'; incident: IncidentSummary; summary: string };
