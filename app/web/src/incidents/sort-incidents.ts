import { incidentStates, investigationStatuses, severities, type Incident } from '../api/types';
import type { IncidentListState, SortKey } from './incident-list-state';

const compareBy: Readonly<Record<SortKey, (a: Incident, b: Incident) => number>> = {
  // Age ascending: newest first, as "youngest".
  age: (a, b) => Date.parse(b.created_at) - Date.parse(a.created_at),
  // Severity ascending: most urgent first.
  severity: (a, b) => severities.indexOf(a.severity) - severities.indexOf(b.severity),
  state: (a, b) => incidentStates.indexOf(a.state) - incidentStates.indexOf(b.state),
  investigation: (a, b) =>
    investigationStatuses.indexOf(a.investigation_status) -
    investigationStatuses.indexOf(b.investigation_status),
  title: (a, b) => a.title.localeCompare(b.title),
  source: (a, b) => a.source_type.localeCompare(b.source_type),
  alerts: (a, b) => a.firing_count - b.firing_count || a.alert_count - b.alert_count,
};

/**
 * The incidents of one page in the order the list's state asks for (the API's own order,
 * newest first, when it asks for none). Ties keep the API's order.
 */
export function sortIncidents(
  incidents: readonly Incident[],
  sort: IncidentListState['sort'],
): Incident[] {
  if (sort === null) return [...incidents];
  const compare = compareBy[sort.key];
  const sign = sort.order === 'asc' ? 1 : -1;
  return incidents
    .map((incident, index) => ({ incident, index }))
    .sort((a, b) => sign * compare(a.incident, b.incident) || a.index - b.index)
    .map(({ incident }) => incident);
}
