import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

const capture = (): {
  stream: Writable;
  lines: () => Record<string, unknown>[];
  text: () => string;
} => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
};

describe('createLogger', () => {
  it('redacts secret fields at the top level and nested, wherever they appear', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    log.info(
      {
        password: 'pw-top',
        req: { headers: { authorization: 'Bearer tok-123' } },
        source: { webhook_secret: 'whsec-1', name: 'prod' },
        tool: { credentials: { privateKey: 'KEY' } },
      },
      'event',
    );
    const text = out.text();
    for (const secret of ['pw-top', 'tok-123', 'whsec-1', 'KEY'])
      expect(text).not.toContain(secret);
    expect(text).toContain('prod');
    expect(out.lines()[0]).toMatchObject({
      password: '[redacted]',
      source: { webhook_secret: '[redacted]' },
    });
  });

  it('keeps redacting in child loggers and respects the level', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, level: 'warn', name: 'akmatori' });
    const child = log.child({ plugin: 'x' });
    child.info({ token: 'nope' }, 'hidden by level');
    child.warn({ token: 'secret-token' }, 'shown');
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      name: 'akmatori',
      plugin: 'x',
      token: '[redacted]',
      msg: 'shown',
    });
  });
});
