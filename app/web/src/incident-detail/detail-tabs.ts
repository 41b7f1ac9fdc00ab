/**
 * The tab a key press on a tab list moves to, as the WAI-ARIA tabs pattern has it: arrows
 * step to the previous or next tab (wrapping around), Home and End go to the first and last.
 * Any other key moves nowhere (`undefined`).
 *
 * @example
 * ```ts
 * tabAfterKey(['timeline', 'report'], 'timeline', 'ArrowRight'); // 'report'
 * tabAfterKey(['timeline', 'report'], 'timeline', 'ArrowLeft'); // 'report' (wraps)
 * ```
 */
export function tabAfterKey<T extends string>(
  tabs: readonly T[],
  current: T,
  key: string,
): T | undefined {
  if (tabs.length === 0) return undefined;
  const at = Math.max(0, tabs.indexOf(current));
  switch (key) {
    case 'ArrowRight':
      return tabs[(at + 1) % tabs.length];
    case 'ArrowLeft':
      return tabs[(at - 1 + tabs.length) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs[tabs.length - 1];
    default:
      return undefined;
  }
}
