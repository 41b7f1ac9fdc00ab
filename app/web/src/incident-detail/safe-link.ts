/**
 * The URL to link to, or undefined when it is not plain http(s): alert senders are
 * untrusted, and a `javascript:` (or `data:`, `vbscript:`…) link must never be offered.
 *
 * @example
 * ```ts
 * safeLink('https://runbooks.example/disk'); // 'https://runbooks.example/disk'
 * safeLink('javascript:alert(1)'); // undefined
 * ```
 */
export function safeLink(url: string | null | undefined): string | undefined {
  if (url === null || url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
