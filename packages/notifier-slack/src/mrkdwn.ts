/**
 * Escapes text for Slack: `&`, `<` and `>` become entities, so untrusted text (alert fields,
 * agent output) cannot form links, `<!channel>` pings or user mentions.
 *
 * @example
 * ```ts
 * escapeMrkdwn('<!channel> a & b'); // '&lt;!channel&gt; a &amp; b'
 * ```
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;

/** Inline markdown (outside code) to mrkdwn, escaped first. */
function inline(text: string): string {
  const links: string[] = [];
  // Links are taken out before escaping: their URL must stay intact inside <url|text>.
  let out = text.replace(LINK, (_match, label: string, url: string) => {
    links.push(`<${url.replaceAll('|', '%7C').replaceAll('>', '%3E')}|${escapeMrkdwn(label)}>`);
    return `\uE000${links.length - 1}\uE001`;
  });
  out = escapeMrkdwn(out)
    .replace(/\*\*(?=\S)([^*\n]+?)\*\*/g, '\u0001$1\u0001')
    .replace(/__(?=\S)([^_\n]+?)__/g, '\u0001$1\u0001')
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]+?)\*(?!\*)/g, '$1_$2_')
    .replace(/~~(?=\S)([^~\n]+?)~~/g, '~$1~')
    .replaceAll('\u0001', '*');
  return out.replace(/\uE000(\d+)\uE001/g, (_m, index: string) => links[Number(index)] ?? '');
}

/** Inline text with its `code spans` kept verbatim (escaped, unformatted). */
function inlineWithCode(line: string): string {
  return line
    .split(/(`[^`\n]+`)/)
    .map((part, index) => (index % 2 === 1 ? escapeMrkdwn(part) : inline(part)))
    .join('');
}

/**
 * Converts the agent's Markdown to Slack mrkdwn: headings and `**bold**` to `*bold*`,
 * `*italic*` to `_italic_`, `~~strike~~` to `~strike~`, `[text](https://…)` to `<url|text>`,
 * list bullets to `•`; code spans and fenced blocks are kept (their language tag dropped);
 * everything is escaped, so the text cannot mention or link anything by itself.
 *
 * @example
 * ```ts
 * markdownToMrkdwn('## Root cause\n**Disk** full, see [runbook](https://x.example/rb)');
 * // '*Root cause*\n*Disk* full, see <https://x.example/rb|runbook>'
 * ```
 */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.replaceAll('\r\n', '\n').split('\n')) {
    if (/^\s*```/.test(line)) {
      out.push('```');
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(escapeMrkdwn(line));
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading !== null) {
      const text = inlineWithCode(heading[1] ?? '').replaceAll('*', '');
      out.push(text === '' ? '' : `*${text}*`);
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet !== null) {
      out.push(`${bullet[1] ?? ''}• ${inlineWithCode(bullet[2] ?? '')}`);
      continue;
    }
    out.push(inlineWithCode(line));
  }
  if (inFence) out.push('```');
  return out.join('\n');
}

/**
 * Splits mrkdwn into pieces of at most `max` characters: at blank lines, then at line ends,
 * then anywhere; a code block cut in two is closed and reopened so each piece renders.
 *
 * @example
 * ```ts
 * splitMrkdwn(longReport, 2900).length; // how many section blocks it needs
 * ```
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max - 4);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 3) cut = window.lastIndexOf('\n');
    if (cut < max / 3) cut = window.length;
    let piece = rest.slice(0, cut);
    rest = rest.slice(cut).replace(/^\n+/, '');
    if ((piece.match(/```/g)?.length ?? 0) % 2 === 1) {
      piece += '\n```';
      rest = '```\n' + rest;
    }
    pieces.push(piece);
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}
