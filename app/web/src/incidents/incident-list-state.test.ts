import { describe, expect, it } from 'vitest';
import type { Incident } from '../api/types';
import { apiQueryOf, queryFromState, stateFromQuery } from './incident-list-state';
import { sortIncidents } from './sort-incidents';

describe('the incidents list state in the URL', () => {
  it('reads filters, sort and page from the query', () => {
    const state = stateFromQuery({
      tab: 'all',
      investigation_status: 'failed,pending',
      severity: 'critical',
      source_type: ' alertmanager ',
      q: 'disk',
      sort: 'severity:asc',
      page: '3',
      per_page: '100',
    });
    expect(state).toEqual({
      tab: 'all',
      page: 3,
      perPage: 100,
      investigation: ['pending', 'failed'],
      severities: ['critical'],
      sourceType: 'alertmanager',
      text: 'disk',
      sort: { key: 'severity', order: 'asc' },
    });
  });

  it('drops what it does not know rather than sending it to the API', () => {
    const state = stateFromQuery({
      tab: 'everything',
      investigation_status: 'exploded',
      severity: 'critical,<script>',
      sort: 'secret:up',
      page: '-2',
      per_page: '5000',
    });
    expect(state.tab).toBe('open');
    expect(state.investigation).toEqual([]);
    expect(state.severities).toEqual(['critical']);
    expect(state.sort).toBeNull();
    expect(state.page).toBe(1);
    expect(state.perPage).toBe(50);
  });

  it('writes back only what differs from the defaults, and reads it back the same', () => {
    const state = stateFromQuery({ severity: 'high,critical', page: '2' });
    const query = queryFromState(state);
    expect(query).toEqual({ severity: 'critical,high', page: '2' });
    expect(stateFromQuery(query as Record<string, string>)).toEqual(state);
    expect(queryFromState(stateFromQuery({}))).toEqual({});
  });

  it('asks the API for the page and filters; the Open tab for incidents not resolved', () => {
    expect(
      apiQueryOf(stateFromQuery({ investigation_status: 'failed', q: '  disk ', page: '2' })),
    ).toEqual({
      page: 2,
      per_page: 50,
      state: ['open', 'acknowledged'],
      investigation_status: ['failed'],
      q: 'disk',
    });
    expect(apiQueryOf(stateFromQuery({ tab: 'all' }))).toEqual({ page: 1, per_page: 50 });
  });
});

describe('sorting a page of incidents', () => {
  const incident = (title: string, severity: Incident['severity'], created: string): Incident => ({
    uuid: title,
    title,
    severity,
    state: 'open',
    investigation_status: 'completed',
    status: 'completed',
    source_type: 'alertmanager',
    alert_count: 1,
    firing_count: 1,
    created_at: created,
    updated_at: created,
  });
  const page = [
    incident('b', 'info', '2026-12-05T10:00:00Z'),
    incident('a', 'critical', '2026-12-05T09:00:00Z'),
    incident('c', 'critical', '2026-12-05T11:00:00Z'),
  ];

  it('keeps the API order when no sort is asked for', () => {
    expect(sortIncidents(page, null).map((i) => i.title)).toEqual(['b', 'a', 'c']);
  });

  it('puts the most urgent first when sorted by severity, ties in the API order', () => {
    const sorted = sortIncidents(page, { key: 'severity', order: 'asc' });
    expect(sorted.map((i) => i.title)).toEqual(['a', 'c', 'b']);
  });

  it('sorts by age with the youngest first, ascending', () => {
    const sorted = sortIncidents(page, { key: 'age', order: 'asc' });
    expect(sorted.map((i) => i.title)).toEqual(['c', 'b', 'a']);
  });
});
