import { describe, expect, it } from 'vitest';
import { apiQueryOf, queryFromState, stateFromQuery } from './incident-list-state';

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

describe('sorting', () => {
  it('is asked of the API, which sorts the whole list before paging it', () => {
    expect(apiQueryOf(stateFromQuery({ tab: 'all', sort: 'severity:asc', page: '3' }))).toEqual({
      page: 3,
      per_page: 50,
      sort: 'severity:asc',
    });
  });
});
