import type { AlertSeverity } from './alert.js';

/** Where an incident is in its life. Alert state (firing/resolved) is tracked apart. */
export type IncidentStatus = 'pending' | 'investigating' | 'completed' | 'failed' | 'cancelled';

/** What notifiers and the dashboard are told about an incident. */
export interface IncidentSummary {
  /** Public identifier. */
  uuid: string;
  /** Human title, usually from the first alert. */
  title: string;
  /** Lifecycle state. */
  status: IncidentStatus;
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
  | { type: 'incident.alerts_resolved'; incident: IncidentSummary }
  | { type: 'incident.finding'; incident: IncidentSummary; text: string }
  | { type: 'incident.completed'; incident: IncidentSummary; summary: string };
