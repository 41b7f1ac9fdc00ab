import type { IncidentState, InvestigationStatus, Severity } from '../api/types';

/** The kinds of tag naive-ui colours. */
export type TagType = 'default' | 'info' | 'success' | 'warning' | 'error';

/** How each severity looks: most urgent in red. */
export const severityTag: Readonly<Record<Severity, { label: string; type: TagType }>> = {
  critical: { label: 'Critical', type: 'error' },
  high: { label: 'High', type: 'warning' },
  warning: { label: 'Warning', type: 'info' },
  info: { label: 'Info', type: 'default' },
};

/** How each incident state looks: open is what needs someone. */
export const stateTag: Readonly<Record<IncidentState, { label: string; type: TagType }>> = {
  open: { label: 'Open', type: 'error' },
  acknowledged: { label: 'Acknowledged', type: 'warning' },
  resolved: { label: 'Resolved', type: 'success' },
};

/** How each investigation status looks. */
export const investigationTag: Readonly<
  Record<InvestigationStatus, { label: string; type: TagType }>
> = {
  pending: { label: 'Queued', type: 'default' },
  investigating: { label: 'Investigating', type: 'info' },
  completed: { label: 'Investigated', type: 'success' },
  failed: { label: 'Investigation failed', type: 'error' },
  cancelled: { label: 'Cancelled', type: 'default' },
};
