import { silentLogger } from '@akmatori/core';
import { describe, expect, it } from 'vitest';
import { reconnectDelay, resolveWorkerOptions, workerSocketUrl } from './worker-options.js';

const base = {
  apiUrl: 'http://api:3000',
  workerToken: 'wt',
  runsDir: '/runs',
  log: silentLogger(),
};

describe('worker options', () => {
  it('turn the API URL into the worker socket URL', () => {
    expect(workerSocketUrl('http://api:3000')).toBe('ws://api:3000/ws/worker');
    expect(workerSocketUrl('https://akmatori.example.com/')).toBe(
      'wss://akmatori.example.com/ws/worker',
    );
    expect(workerSocketUrl('https://example.com/akmatori')).toBe(
      'wss://example.com/akmatori/ws/worker',
    );
    expect(() => workerSocketUrl('ftp://api')).toThrow('must be http(s)://host:port');
    expect(() => workerSocketUrl('api:3000')).toThrow();
  });

  it('default to capacity 2 and a generated worker id', () => {
    const resolved = resolveWorkerOptions(base);
    expect(resolved.capacity).toBe(2);
    expect(resolved.workerId).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
    expect(() => resolveWorkerOptions({ ...base, capacity: 0 })).toThrow(
      expect.objectContaining({
        code: 'AKM_CODEX_WORKER_OPTION_INVALID',
        message: 'capacity must be a positive integer, not 0',
      }),
    );
  });

  it('refuse a session archive limit above what the API accepts', () => {
    expect(resolveWorkerOptions(base).maxSessionBytes).toBe(20 * 1024 * 1024);
    expect(() => resolveWorkerOptions({ ...base, maxSessionBytes: 21 * 1024 * 1024 })).toThrow(
      'maxSessionBytes must be between 1 and 20971520 (what the API accepts)',
    );
  });

  it('back off exponentially up to the maximum, less up to the jitter share', () => {
    const settings = { reconnectInitialMs: 500, reconnectMaxMs: 30_000, reconnectJitter: 0.3 };
    expect([0, 1, 2, 10].map((attempt) => reconnectDelay(attempt, settings, () => 0))).toEqual([
      500, 1_000, 2_000, 30_000,
    ]);
    expect(reconnectDelay(0, settings, () => 1)).toBe(350);
    expect(reconnectDelay(99, settings, () => 0.5)).toBe(25_500);
  });
});
