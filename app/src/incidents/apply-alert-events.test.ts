import type { AlertEventRecord, AlertRecord, ReceivedAlert } from '@akmatori/host';
import { describe, expect, it } from 'vitest';
import { alertKey, applyAlertEvents, type EngineState } from './apply-alert-events.js';

const SOURCE = '11111111-1111-4111-8111-111111111111';
const t = (minute: number): Date => new Date(Date.UTC(2026, 0, 1, 0, minute));
let nextId = 1;

function event(
  fingerprint: string,
  status: 'firing' | 'resolved',
  options: Partial<ReceivedAlert> & { at?: Date } = {},
): AlertEventRecord {
  const { at, ...alert } = options;
  return {
    id: nextId++,
    sourceId: SOURCE,
    receivedAt: at ?? t(0),
    alert: {
      name: 'HighCPU',
      severity: 'warning',
      fingerprint,
      groupKey: 'g1',
      labels: {},
      annotations: {},
      extra: {},
      status,
      ...alert,
    },
  };
}

function emptyState(): EngineState {
  return {
    latest: new Map(),
    openIncidents: new Map(),
    sources: new Map([[SOURCE, { sourceType: 'test', groupingWindowSeconds: 30 }]]),
  };
}

function stored(
  fingerprint: string,
  status: 'firing' | 'resolved',
  fields: Partial<AlertRecord> = {},
): AlertRecord {
  return {
    id: 99,
    sourceId: SOURCE,
    incidentId: 'incident-1',
    fingerprint,
    status,
    name: 'HighCPU',
    severity: 'warning',
    rawSeverity: null,
    host: null,
    service: null,
    summary: null,
    description: null,
    runbookUrl: null,
    sourceUrl: null,
    groupKey: 'g1',
    labels: {},
    annotations: {},
    extra: {},
    startsAt: t(0),
    endsAt: null,
    firstSeenAt: t(0),
    lastSeenAt: t(0),
    count: 1,
    ...fields,
  };
}

describe('applying received alerts', () => {
  it('opens one incident for a new firing alert, to be investigated after the grouping window', () => {
    const changes = applyAlertEvents(
      [event('a', 'firing', { summary: 'CPU at 99%' })],
      emptyState(),
      t(5),
    );
    expect(changes.created).toHaveLength(1);
    expect(changes.incidents).toHaveLength(1);
    expect(changes.incidents[0]).toMatchObject({
      title: 'CPU at 99%',
      sourceType: 'test',
      groupKey: 'g1',
      investigateAfter: new Date(t(5).getTime() + 30_000),
    });
    expect(changes.created[0]?.incidentId).toBe(changes.incidents[0]?.id);
  });

  it('puts a storm of distinct alerts of one group into a single incident', () => {
    const events = Array.from({ length: 500 }, (_, i) => event(`fp-${i}`, 'firing'));
    const changes = applyAlertEvents(events, emptyState(), t(0));
    expect(changes.created).toHaveLength(500);
    expect(changes.incidents).toHaveLength(1);
    expect(new Set(changes.created.map((a) => a.incidentId)).size).toBe(1);
    expect([...changes.counters.values()]).toEqual([
      { added: 500, firing: 500, severity: 'warning' },
    ]);
  });

  it('opens separate incidents for separate groups', () => {
    const changes = applyAlertEvents(
      [event('a', 'firing', { groupKey: 'g1' }), event('b', 'firing', { groupKey: 'g2' })],
      emptyState(),
      t(0),
    );
    expect(changes.incidents.map((i) => i.groupKey).sort()).toEqual(['g1', 'g2']);
  });

  it('joins the open incident of its group', () => {
    const state = emptyState();
    state.openIncidents.set(`${SOURCE}\u0000g1`, 'incident-open');
    const changes = applyAlertEvents([event('new', 'firing')], state, t(0));
    expect(changes.incidents).toEqual([]);
    expect(changes.created[0]?.incidentId).toBe('incident-open');
  });

  it('counts a repeat of a firing alert instead of creating anything', () => {
    const changes = applyAlertEvents(
      [event('a', 'firing', { at: t(1) }), event('a', 'firing', { at: t(2), summary: 'newer' })],
      emptyState(),
      t(2),
    );
    expect(changes.created).toHaveLength(1);
    expect(changes.created[0]).toMatchObject({
      count: 2,
      lastSeenAt: t(2),
      firstSeenAt: t(1),
      summary: 'newer',
    });
    expect(changes.incidents).toHaveLength(1);
  });

  it('counts a repeat of an alert stored earlier and refreshes its details', () => {
    const state = emptyState();
    const existing = stored('a', 'firing', { count: 3 });
    state.latest.set(alertKey(SOURCE, 'a'), existing);
    const changes = applyAlertEvents(
      [event('a', 'firing', { at: t(9), severity: 'critical' })],
      state,
      t(9),
    );
    expect(changes.created).toEqual([]);
    expect(changes.updated).toEqual([existing]);
    expect(existing).toMatchObject({ count: 4, lastSeenAt: t(9), severity: 'critical' });
    expect(changes.counters).toEqual(
      new Map([['incident-1', { added: 0, firing: 0, severity: 'critical' }]]),
    );
  });

  it('resolves the firing alert with the end time the sender gives', () => {
    const state = emptyState();
    const existing = stored('a', 'firing');
    state.latest.set(alertKey(SOURCE, 'a'), existing);
    const changes = applyAlertEvents(
      [event('a', 'resolved', { endsAt: t(7).toISOString(), at: t(8) })],
      state,
      t(8),
    );
    expect(existing).toMatchObject({ status: 'resolved', endsAt: t(7) });
    expect(changes.counters).toEqual(
      new Map([['incident-1', { added: 0, firing: -1, severity: null }]]),
    );
  });

  it('ignores a repeated resolution', () => {
    const state = emptyState();
    state.latest.set(alertKey(SOURCE, 'a'), stored('a', 'resolved', { endsAt: t(7) }));
    const changes = applyAlertEvents(
      [event('a', 'resolved', { endsAt: t(7).toISOString() })],
      state,
      t(8),
    );
    expect(changes).toMatchObject({ created: [], updated: [], incidents: [], duplicates: 1 });
  });

  it('stores a resolution that arrives before its firing, and then ignores that late firing', () => {
    const changes = applyAlertEvents(
      [
        event('a', 'resolved', {
          startsAt: t(1).toISOString(),
          endsAt: t(3).toISOString(),
          at: t(4),
        }),
        event('a', 'firing', { startsAt: t(1).toISOString(), at: t(5) }),
      ],
      emptyState(),
      t(5),
    );
    expect(changes.created).toHaveLength(1);
    expect(changes.created[0]).toMatchObject({
      status: 'resolved',
      incidentId: null,
      endsAt: t(3),
    });
    expect(changes.incidents).toEqual([]);
    expect(changes.duplicates).toBe(1);
  });

  it('treats a firing that starts after the last resolution as a new occurrence', () => {
    const state = emptyState();
    state.latest.set(
      alertKey(SOURCE, 'a'),
      stored('a', 'resolved', { endsAt: t(3), incidentId: 'old-incident' }),
    );
    const changes = applyAlertEvents(
      [event('a', 'firing', { startsAt: t(10).toISOString(), at: t(10) })],
      state,
      t(10),
    );
    expect(changes.created).toHaveLength(1);
    expect(changes.incidents).toHaveLength(1);
    expect(changes.created[0]?.incidentId).not.toBe('old-incident');
  });

  it('ends the firing alert even when the sender dates the end before the start (as Alertmanager does for a back-dated resolve)', () => {
    const state = emptyState();
    const current = stored('a', 'firing', { startsAt: new Date('2026-11-24T01:53:57.540Z') });
    state.latest.set(alertKey(SOURCE, 'a'), current);
    const changes = applyAlertEvents(
      [
        event('a', 'resolved', {
          startsAt: '2026-11-24T01:53:48.545Z',
          endsAt: '2026-11-24T01:53:48.545Z',
        }),
      ],
      state,
      t(11),
    );
    expect(current).toMatchObject({
      status: 'resolved',
      endsAt: new Date('2026-11-24T01:53:48.545Z'),
    });
    expect(changes.counters.get('incident-1')).toMatchObject({ firing: -1 });
  });

  it('handles fire, resolve, fire again within one batch as two occurrences', () => {
    const changes = applyAlertEvents(
      [
        event('a', 'firing', { startsAt: t(1).toISOString(), at: t(1) }),
        event('a', 'resolved', { endsAt: t(2).toISOString(), at: t(2) }),
        event('a', 'firing', { startsAt: t(3).toISOString(), at: t(3) }),
      ],
      emptyState(),
      t(3),
    );
    expect(changes.created.map((a) => [a.status, a.startsAt?.toISOString()])).toEqual([
      ['resolved', t(1).toISOString()],
      ['firing', t(3).toISOString()],
    ]);
    expect(changes.incidents).toHaveLength(1);
    expect([...changes.counters.values()]).toEqual([{ added: 2, firing: 1, severity: 'warning' }]);
  });
});
