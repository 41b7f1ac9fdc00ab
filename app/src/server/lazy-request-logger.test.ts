import { Writable } from 'node:stream';
import { createLogger } from '@akmatori/core';
import { describe, expect, it, vi } from 'vitest';
import { lazyRequestLogger } from './lazy-request-logger.js';

const sink = (): { stream: Writable; text: () => string } => {
  let text = '';
  return {
    stream: new Writable({
      write: (chunk: Buffer, _e, done) => ((text += chunk.toString()), done()),
    }),
    text: () => text,
  };
};

describe('the lazy request logger', () => {
  it('creates no child for calls below its level', () => {
    const out = sink();
    const parent = createLogger({ destination: out.stream, level: 'info' });
    const child = vi.spyOn(parent, 'child');
    const log = lazyRequestLogger(parent, { reqId: 'r1' }, { level: 'warn' });
    log.info('quiet');
    log.debug('quieter');
    expect(child).not.toHaveBeenCalled();
    expect(out.text()).toBe('');
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('error')).toBe(true);
    expect(log.isLevelEnabled('info')).toBe(false);
  });

  it('logs with its bindings, and with redaction, once something is enabled', () => {
    const out = sink();
    const parent = createLogger({ destination: out.stream, level: 'info' });
    const log = lazyRequestLogger(parent, { reqId: 'r2' }, {});
    log.warn({ password: 'p' }, 'loud');
    log.child({ part: 'x' }).info('nested');
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ reqId: 'r2', password: '[redacted]', msg: 'loud' });
    expect(lines[1]).toMatchObject({ reqId: 'r2', part: 'x', msg: 'nested' });
  });
});
