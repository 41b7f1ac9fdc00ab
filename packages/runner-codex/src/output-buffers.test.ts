import { describe, expect, it } from 'vitest';
import { LineSplitter, TailBuffer } from './output-buffers.js';

function split(chunks: Buffer[], max = 100): { lines: string[]; dropped: number[] } {
  const lines: string[] = [];
  const dropped: number[] = [];
  const splitter = new LineSplitter(
    max,
    (line) => lines.push(line),
    (bytes) => dropped.push(bytes),
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return { lines, dropped };
}

describe('LineSplitter', () => {
  it('joins lines cut across chunks, even inside a multi-byte character, and emits a last line without newline', () => {
    const bytes = Buffer.from('first\nsecond é line\nlast');
    const cut = bytes.indexOf(Buffer.from('é')) + 1;
    expect(
      split([bytes.subarray(0, 3), bytes.subarray(3, cut), bytes.subarray(cut)]).lines,
    ).toEqual(['first', 'second é line', 'last']);
  });

  it('drops a line over the limit, reporting its size, and keeps the lines around it', () => {
    const long = 'x'.repeat(250);
    expect(
      split(
        [Buffer.from(`ok\n${long.slice(0, 120)}`), Buffer.from(`${long.slice(120)}\nnext\n`)],
        100,
      ),
    ).toEqual({
      lines: ['ok', 'next'],
      dropped: [250],
    });
  });
});

describe('TailBuffer', () => {
  it('keeps only the last bytes', () => {
    const tail = new TailBuffer(5);
    tail.push(Buffer.from('abcdef'));
    tail.push(Buffer.from('gh'));
    expect(tail.text()).toBe('defgh');
  });
});
