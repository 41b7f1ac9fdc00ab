/**
 * How long until `until`, short: `45 s`, `12 min`, `3 h 5 min`, `2 d`; `expired` once it
 * has passed. Seconds are shown under a minute, where they matter to someone deciding.
 *
 * @example
 * ```ts
 * formatTimeLeft('2026-12-05T10:05:00Z', new Date('2026-12-05T10:00:30Z')); // '4 min'
 * ```
 */
export function formatTimeLeft(until: string | Date, now: Date): string {
  const seconds = Math.floor((new Date(until).getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return 'expired';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d`;
}
