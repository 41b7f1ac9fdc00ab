import { isAkmatoriError } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { PrometheusErrors } from './http-api-errors.js';
import { durationSeconds, durationText, timeSeconds } from './prometheus-time.js';

const NOW = 1_700_000_000;

describe('time arguments of the prometheus tools', () => {
  it.each([
    ['now', NOW],
    ['now-1h', NOW - 3600],
    ['now - 90s', NOW - 90],
    ['now-1h30m', NOW - 5400],
    ['1699999000', 1_699_999_000],
    [1_699_999_000.5, 1_699_999_000.5],
    ['2023-11-14T22:13:20Z', NOW],
  ] as const)('reads %j', (value, seconds) => {
    expect(timeSeconds(value, 'start', NOW)).toBe(seconds);
  });

  it('leaves an absent time to the default', () => {
    expect(timeSeconds(undefined, 'start', NOW)).toBeUndefined();
    expect(timeSeconds('', 'start', NOW)).toBeUndefined();
  });

  it.each(['yesterday', 'now-', 'now-1x', 'now+1h'])('refuses %j naming the argument', (value) => {
    let thrown: unknown;
    try {
      timeSeconds(value, 'end', NOW);
    } catch (error) {
      thrown = error;
    }
    expect(isAkmatoriError(thrown, PrometheusErrors.AKM_PROMETHEUS_INPUT_INVALID)).toBe(true);
    expect((thrown as Error).message).toContain(`end ${JSON.stringify(value)} is not a time`);
  });

  it('reads Prometheus durations and seconds, and writes them back short', () => {
    expect(durationSeconds('5m')).toBe(300);
    expect(durationSeconds('1d2h')).toBe(93_600);
    expect(durationSeconds('250ms')).toBe(0.25);
    expect(durationSeconds('30')).toBe(30);
    expect(durationSeconds(15)).toBe(15);
    expect(durationSeconds('5 minutes')).toBeUndefined();
    expect(durationSeconds('0s')).toBeUndefined();
    expect(durationText(5400)).toBe('1h30m');
    expect(durationText(87)).toBe('1m27s');
    expect(durationText(0.5)).toBe('500ms');
  });
});
