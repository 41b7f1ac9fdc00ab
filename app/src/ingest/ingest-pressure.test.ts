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
});
