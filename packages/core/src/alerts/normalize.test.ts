import { describe, expect, it } from 'vitest';
import {
  fingerprintOf,
  getPath,
  normalizeSeverity,
  normalizeStatus,
  parseTimestamp,
  text,
  toStringRecord,
} from './normalize.js';

describe('normalizeSeverity', () => {
  it.each([
    ['critical', 'critical'],
    ['Disaster', 'critical'],
    ['P1', 'critical'],
    ['High', 'high'],
    ['error', 'high'],
    ['P2', 'high'],
    ['warning', 'warning'],
    ['Average', 'warning'],
    ['P3', 'warning'],
    ['info', 'info'],
    ['Information', 'info'],
    ['Not classified', 'info'],
    ['P5', 'info'],
  ])('reads %s as %s and keeps the raw value', (raw, severity) => {
    expect(normalizeSeverity(raw)).toEqual({ severity, rawSeverity: raw });
  });

  it('falls back to warning (or a chosen level) for unknown or missing values', () => {
    expect(normalizeSeverity('spicy')).toEqual({ severity: 'warning', rawSeverity: 'spicy' });
    expect(normalizeSeverity(undefined)).toEqual({ severity: 'warning' });
    expect(normalizeSeverity('', 'info')).toEqual({ severity: 'info' });
  });
});

describe('normalizeStatus', () => {
  it('reads firing and resolved words in any case, and nothing else', () => {
    expect(['firing', 'PROBLEM', 'triggered', 'Alerting'].map(normalizeStatus)).toEqual([
      'firing',
      'firing',
      'firing',
      'firing',
    ]);
    expect(['resolved', 'OK', 'Recovered', 'resolve'].map(normalizeStatus)).toEqual([
      'resolved',
      'resolved',
      'resolved',
      'resolved',
    ]);
    expect(normalizeStatus('acknowledged')).toBeUndefined();
    expect(normalizeStatus(1)).toBeUndefined();
  });
});

describe('parseTimestamp', () => {
  it('reads ISO 8601, epoch seconds and milliseconds, and Zabbix dates', () => {
    const expected = '2024-01-15T10:30:00.000Z';
    expect(parseTimestamp('2024-01-15T10:30:00Z')?.toISOString()).toBe(expected);
    expect(parseTimestamp('2024-01-15T12:30:00+02:00')?.toISOString()).toBe(expected);
    expect(parseTimestamp(1705314600)?.toISOString()).toBe(expected);
    expect(parseTimestamp('1705314600')?.toISOString()).toBe(expected);
    expect(parseTimestamp(1705314600000)?.toISOString()).toBe(expected);
    expect(parseTimestamp('2024.01.15 10:30:00')?.toISOString()).toBe(expected);
    expect(parseTimestamp('2024-01-15 10:30:00')?.toISOString()).toBe(expected);
  });

  it('reads zone-less Zabbix times in the given time zone, across DST changes', () => {
    expect(parseTimestamp('2024.01.15 19:30:00', { timeZone: 'Asia/Tokyo' })?.toISOString()).toBe(
      '2024-01-15T10:30:00.000Z',
    );
    expect(
      parseTimestamp('2024.07.01 12:00:00', { timeZone: 'Europe/Berlin' })?.toISOString(),
    ).toBe('2024-07-01T10:00:00.000Z');
    expect(
      parseTimestamp('2024.01.01 12:00:00', { timeZone: 'Europe/Berlin' })?.toISOString(),
    ).toBe('2024-01-01T11:00:00.000Z');
    expect(
      parseTimestamp('2024.03.10 01:30:00', { timeZone: 'America/New_York' })?.toISOString(),
    ).toBe('2024-03-10T06:30:00.000Z');
    expect(parseTimestamp('2024-01-15T10:30:00Z', { timeZone: 'Asia/Tokyo' })?.toISOString()).toBe(
      '2024-01-15T10:30:00.000Z',
    );
  });

  it('treats Go zero time, empty and garbage as absent', () => {
    for (const raw of ['0001-01-01T00:00:00Z', '', 'yesterday', null, undefined, {}, 0]) {
      expect(parseTimestamp(raw), String(raw)).toBeUndefined();
    }
  });
});

describe('getPath', () => {
  it('walks objects and arrays by dot path', () => {
    const value = { labels: { severity: 'critical' }, alerts: [{ fingerprint: 'f1' }] };
    expect(getPath(value, 'labels.severity')).toBe('critical');
    expect(getPath(value, 'alerts.0.fingerprint')).toBe('f1');
    expect(getPath(value, 'labels.missing')).toBeUndefined();
    expect(getPath('scalar', 'a')).toBeUndefined();
  });

  it('reaches keys that contain dots', () => {
    expect(getPath({ tags: { 'kubernetes.io/name': 'api' } }, 'tags.kubernetes.io/name')).toBe(
      'api',
    );
  });
});

describe('small helpers', () => {
  it('toStringRecord keeps scalars as strings and drops nulls', () => {
    expect(toStringRecord({ a: 'x', b: 2, c: true, d: null, e: { f: 1 } })).toEqual({
      a: 'x',
      b: '2',
      c: 'true',
      e: '{"f":1}',
    });
    expect(toStringRecord(['x'])).toEqual({});
  });

  it('fingerprintOf is stable and separates parts', () => {
    expect(fingerprintOf(['a', 'bc'])).toBe(fingerprintOf(['a', 'bc']));
    expect(fingerprintOf(['a', 'bc'])).not.toBe(fingerprintOf(['ab', 'c']));
    expect(fingerprintOf(['x'])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('text trims and ignores non-scalars', () => {
    expect(text('  hi ')).toBe('hi');
    expect(text('   ')).toBeUndefined();
    expect(text(5)).toBe('5');
    expect(text({})).toBeUndefined();
  });
});
