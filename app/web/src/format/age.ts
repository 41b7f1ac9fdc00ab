/**
 * How long ago `since` was, short: `< 1 min`, `5 min`, `3 h`, `2 d` (seconds would only
 * flicker in a list that refreshes every few seconds). A clock a little behind the server's
 * reads as `< 1 min`, never as a negative age.
 *
 * @example
 * ```ts
 * formatAge('2026-12-05T10:00:00Z', new Date('2026-12-05T10:05:30Z')); // '5 min'
 * ```
 */
export function formatAge(since: string | Date, now: Date): string {
  const seconds = Math.floor((now.getTime() - new Date(since).getTime()) / 1000);
  if (seconds < 60) return '< 1 min';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}
