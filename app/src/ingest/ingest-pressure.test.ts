import { describe, expect, it } from 'vitest';
import { IngestPressure } from './ingest-pressure.js';

describe('ingest pressure', () => {
  it('is high only while more events than the threshold arrived within the window', () => {
    let now = 0;
    const pressure = new IngestPressure({ windowMs: 500, threshold: 100, now: () => now });
    expect(pressure.high).toBe(false);
    pressure.record(60);
    now = 100;
    pressure.record(60);
    expect(pressure.high).toBe(true);
    now = 550;
    expect(pressure.high).toBe(false);
  });

  it('is active for a moment after any commit, however small', () => {
    let now = 0;
    const pressure = new IngestPressure({ activeMs: 100, now: () => now });
    expect(pressure.active).toBe(false);
    pressure.record(1);
    now = 100;
    expect(pressure.active).toBe(true);
    expect(pressure.high).toBe(false);
    now = 101;
    expect(pressure.active).toBe(false);
  });
});
