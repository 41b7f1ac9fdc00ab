import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn, splitMrkdwn } from './mrkdwn.js';
import { reportMessage } from './thread-messages.js';

describe('markdownToMrkdwn', () => {
  it('converts headings, bold, italics, strikethrough, links and bullets', () => {
    expect(
      markdownToMrkdwn(
        '## Root cause\n**Disk** is *full* ~~maybe~~, see [runbook](https://x.example/rb)\n- one\n* two',
      ),
    ).toBe(
      '*Root cause*\n*Disk* is _full_ ~maybe~, see <https://x.example/rb|runbook>\n• one\n• two',
    );
  });

  it('escapes text so it cannot ping or link, and keeps code verbatim', () => {
    expect(markdownToMrkdwn('<!channel> & <@U1> `a **b**`\n```sh\nrm -rf <x>\n```')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U1&gt; `a **b**`\n```\nrm -rf &lt;x&gt;\n```',
    );
  });

  it('does not turn a javascript: link into a link', () => {
    expect(markdownToMrkdwn('[x](javascript:alert(1))')).not.toContain('<javascript');
  });
});

describe('splitMrkdwn and reportMessage', () => {
  it('splits within the limit, closing and reopening a code block cut in two', () => {
    const text = [
      'intro',
      '```',
      ...Array.from({ length: 200 }, (_, i) => `line ${i}`),
      '```',
    ].join('\n');
    const pieces = splitMrkdwn(text, 500);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(500);
      expect((piece.match(/```/g)?.length ?? 0) % 2).toBe(0);
    }
  });

  it('a report longer than a message is cut at a block and ends with a link', () => {
    const long = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} ${'x'.repeat(400)}`).join(
      '\n\n',
    );
    const message = reportMessage('Report', long, 'https://akmatori.example/incidents/1');
    const texts = message.blocks.map((b) => (b.text as { text: string }).text);
    expect(texts.reduce((sum, t) => sum + t.length, 0)).toBeLessThan(12_000);
    expect(texts.every((t) => t.length <= 3000)).toBe(true);
    expect(texts.at(-1)).toContain('<https://akmatori.example/incidents/1|');
  });
});
