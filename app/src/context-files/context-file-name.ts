/** The longest name a context file may have, in characters. */
export const maxContextFileNameLength = 128;

/**
 * Makes an uploaded file name safe to store and to echo in `Content-Disposition`: the
 * basename only (after the last `/` or `\`), each run of characters outside
 * `[A-Za-z0-9._-]` replaced by `-`, runs of dots collapsed, no leading dots or dashes, at
 * most 128 characters (the extension is kept). A name with nothing left before its
 * extension becomes `file<ext>`; undefined when nothing is left at all.
 *
 * @example
 * ```ts
 * sanitizeContextFileName('../../etc/notes.txt'); // 'notes.txt'
 * sanitizeContextFileName('Отчёт за май.md'); // 'file.md'
 * sanitizeContextFileName('.env.yaml'); // 'env.yaml'
 * ```
 */
export function sanitizeContextFileName(raw: string): string | undefined {
  const basename = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = basename.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.');
  const dot = cleaned.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < cleaned.length - 1;
  const extension = hasExtension ? cleaned.slice(dot).replace(/-+$/, '') : '';
  let stem = (hasExtension ? cleaned.slice(0, dot) : cleaned).replace(/^[.-]+/, '');
  if (/^[-.]*$/.test(stem)) {
    if (extension.length <= 1) return undefined;
    stem = 'file';
  }
  const name = stem.slice(0, Math.max(1, maxContextFileNameLength - extension.length)) + extension;
  return name.slice(0, maxContextFileNameLength);
}
