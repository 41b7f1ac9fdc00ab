/**
 * A fenced Markdown code block holding `text` as data. The fence is one backtick longer than
 * the longest run of backticks inside the text (at least three), so nothing in the text can
 * close it: a line of backticks inside ends no fence shorter than itself, and headings,
 * `</untrusted>` tags or "ignore previous instructions" inside stay literal text of the block.
 *
 * @example
 * ```ts
 * fenceUntrusted('rm -rf ``` /', 'text'); // '````text\nrm -rf ``` /\n````'
 * ```
 */
export function fenceUntrusted(text: string, info = 'text'): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.replace(/\r\n?/g, '\n')}\n${fence}`;
}
