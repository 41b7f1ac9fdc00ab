import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import {
  investigationStatuses,
  severities,
  type IncidentListQuery,
  type IncidentState,
  type InvestigationStatus,
  type Severity,
} from '../api/types';

/** Columns the list sorts by. */
export const sortKeys = [
  'age',
  'severity',
  'state',
  'investigation',
  'title',
  'source',
  'alerts',
] as const;

/** One of {@link sortKeys}. */
export type SortKey = (typeof sortKeys)[number];

/** Page sizes offered; the API allows up to 200. */
export const pageSizes = [25, 50, 100, 200] as const;

/** The list's tabs: incidents not yet resolved (the default), or every incident. */
export const tabs = ['open', 'all'] as const;

/** One of {@link tabs}. */
export type Tab = (typeof tabs)[number];

/** The incident states each tab shows (none: every state). */
export const tabStates: Readonly<Record<Tab, readonly IncidentState[]>> = {
  open: ['open', 'acknowledged'],
  all: [],
};

/** What the incidents list shows: everything here lives in the URL, so a reload keeps it. */
export interface IncidentListState {
  readonly tab: Tab;
  readonly page: number;
  readonly perPage: number;
  readonly investigation: readonly InvestigationStatus[];
  readonly severities: readonly Severity[];
  readonly sourceType: string;
  readonly text: string;
  /** null: the API's order, newest first. */
  readonly sort: { readonly key: SortKey; readonly order: 'asc' | 'desc' } | null;
}

const DEFAULT_PER_PAGE = 50;

function single(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

function listOf<T extends string>(
  value: LocationQuery[string] | undefined,
  allowed: readonly T[],
): T[] {
  const words = single(value).split(',');
  return allowed.filter((item) => words.includes(item));
}

function positive(value: LocationQuery[string] | undefined, fallback: number): number {
  const number = Number(single(value));
  return Number.isSafeInteger(number) && number > 0 ? number : fallback;
}

/**
 * The list's state from the URL's query; anything unknown or malformed is dropped.
 *
 * @example
 * ```ts
 * stateFromQuery({ severity: 'critical,high', page: '2' }).severities; // ['critical', 'high']
 * ```
 */
export function stateFromQuery(query: LocationQuery): IncidentListState {
  const [key, order] = single(query.sort).split(':');
  const perPage = positive(query.per_page, DEFAULT_PER_PAGE);
  return {
    tab: single(query.tab) === 'all' ? 'all' : 'open',
    page: positive(query.page, 1),
    perPage: (pageSizes as readonly number[]).includes(perPage) ? perPage : DEFAULT_PER_PAGE,
    investigation: listOf(query.investigation_status, investigationStatuses),
    severities: listOf(query.severity, severities),
    sourceType: single(query.source_type).trim(),
    text: single(query.q),
    sort:
      (sortKeys as readonly string[]).includes(key ?? '') && (order === 'asc' || order === 'desc')
        ? { key: key as SortKey, order }
        : null,
  };
}

/** The URL query for a state, leaving out what is at its default. */
export function queryFromState(state: IncidentListState): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (state.tab !== 'open') query.tab = state.tab;
  if (state.investigation.length > 0) query.investigation_status = state.investigation.join(',');
  if (state.severities.length > 0) query.severity = state.severities.join(',');
  if (state.sourceType !== '') query.source_type = state.sourceType;
  if (state.text !== '') query.q = state.text;
  if (state.sort !== null) query.sort = `${state.sort.key}:${state.sort.order}`;
  if (state.page !== 1) query.page = String(state.page);
  if (state.perPage !== DEFAULT_PER_PAGE) query.per_page = String(state.perPage);
  return query;
}

/** The `GET /api/incidents` query for a state: the server filters, sorts and pages. */
export function apiQueryOf(state: IncidentListState): IncidentListQuery {
  const states = tabStates[state.tab];
  return {
    page: state.page,
    per_page: state.perPage,
    ...(states.length === 0 ? {} : { state: [...states] }),
    ...(state.investigation.length === 0 ? {} : { investigation_status: [...state.investigation] }),
    ...(state.severities.length === 0 ? {} : { severity: [...state.severities] }),
    ...(state.sourceType === '' ? {} : { source_type: state.sourceType }),
    ...(state.text.trim() === '' ? {} : { q: state.text.trim() }),
    ...(state.sort === null ? {} : { sort: `${state.sort.key}:${state.sort.order}` }),
  };
}

/** Whether any filter narrows the list (for the empty state's wording). */
export function isFiltered(state: IncidentListState): boolean {
  return (
    state.investigation.length + state.severities.length > 0 ||
    state.sourceType !== '' ||
    state.text.trim() !== ''
  );
}
