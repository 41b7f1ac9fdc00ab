import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser.js';

/** Feeds `text` to a parser in pieces cut at `cuts` (byte offsets) and returns the events. */
function parse(text: string | Buffer, cuts: number[] = []): SseEvent[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.push(bytes.subarray(start, cut));
    start = cut;
  }
  parser.end();
  return events;
}

/** Every way of cutting `text` into two pieces, so no boundary is missed. */
const everySplit = (text: string): number[][] =>
  Array.from({ length: Buffer.byteLength(text) + 1 }, (_, cut) => [cut]);

describe('createSseParser', () => {
  it('dispatches a frame with its event type and data', () => {
    expect(parse('event: response.created\ndata: {"a":1}\n\n')).toEqual([
      { type: 'response.created', data: '{"a":1}', lastEventId: undefined },
    ]);
  });

  it('calls a frame without an event field "message"', () => {
    expect(parse('data: hi\n\n')[0]?.type).toBe('message');
  });

  it('joins several data lines with a newline', () => {
    expect(parse('data: {"a":\ndata: 1}\n\n')[0]?.data).toBe('{"a":\n1}');
  });

  it('accepts \\r\\n and lone \\r line endings', () => {
    const events = parse('event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r');
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('gives the same events however a \\r\\n stream is cut into two chunks', () => {
    const text = 'event: a\r\ndata: x\r\ndata: y\r\n\r\n: keepalive\r\n\r\ndata: z\r\n\r\n';
    const whole = parse(text);
    expect(whole.map((event) => event.data)).toEqual(['x\ny', 'z']);
    for (const cuts of everySplit(text))
      expect(parse(text, cuts), `cut at ${cuts[0]}`).toEqual(whole);
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const bytes = Buffer.from('data: disk full ✓\n\n');
    const inside = bytes.indexOf(Buffer.from('✓')) + 1;
    expect(parse(bytes, [inside, inside + 1])[0]?.data).toBe('disk full ✓');
  });

  it('ignores comment lines such as ": keepalive"', () => {
    expect(parse(': keepalive\n\n: another\ndata: 1\n\n').map((event) => event.data)).toEqual([
      '1',
    ]);
  });

  it('drops exactly one space after the colon and accepts none', () => {
    expect(parse('data:x\n\ndata:  y\n\n').map((event) => event.data)).toEqual(['x', ' y']);
  });

  it('remembers the last event id', () => {
    expect(parse('id: 7\ndata: a\n\ndata: b\n\n').map((event) => event.lastEventId)).toEqual([
      '7',
      '7',
    ]);
  });

  it('discards a frame the stream ends in the middle of', () => {
    expect(parse('data: complete\n\ndata: cut off\n')).toHaveLength(1);
  });

  it('ignores a byte-order mark at the start', () => {
    expect(parse('\uFEFFevent: a\ndata: 1\n\n')[0]?.type).toBe('a');
  });

  it('throws when one frame grows over the limit', () => {
    const parser = createSseParser(() => undefined, { maxFrameChars: 16 });
    expect(() => parser.push(Buffer.from('data: 0123456789abcdefghij'))).toThrow(/over 16/);
  });
});
