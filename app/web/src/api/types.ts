import type { components, paths } from './schema';

/** An incident as the API lists it. */
export type Incident = components['schemas']['Incident'];

/** How urgent an incident is: its most urgent alert's severity. */
export type Severity = Incident['severity'];

/** Where an incident's investigation is. */
export type InvestigationStatus = Incident['investigation_status'];

/** The incident's own state: open, acknowledged or resolved. */
export type IncidentState = Incident['state'];

/** The query `GET /api/incidents` takes. */
export type IncidentListQuery = NonNullable<paths['/api/incidents']['get']['parameters']['query']>;

/** Every severity, most urgent first: the API's enum, checked both ways at compile time. */
export const severities = [
  'critical',
  'high',
  'warning',
  'info',
] as const satisfies readonly Severity[];

/** Every investigation status, in the order an investigation goes through them. */
export const investigationStatuses = [
  'pending',
  'investigating',
  'completed',
  'failed',
  'cancelled',
] as const satisfies readonly InvestigationStatus[];

/** Every incident state, in the order an incident goes through them. */
export const incidentStates = [
  'open',
  'acknowledged',
  'resolved',
] as const satisfies readonly IncidentState[];

// A value the API adds to one of these enums fails the build here until it is listed above.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
const _allSeverities: Missing<Severity, (typeof severities)[number]> = true;
const _allStatuses: Missing<InvestigationStatus, (typeof investigationStatuses)[number]> = true;
const _allStates: Missing<IncidentState, (typeof incidentStates)[number]> = true;
void _allSeverities;
void _allStatuses;
void _allStates;
