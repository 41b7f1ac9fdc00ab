/**
 * The status prefix Alertmanager and Grafana put in front of notification subjects.
 */

const statusPrefix = /^\[(?:FIRING|RESOLVED)(?::\d+)?(?:,\s*RESOLVED:\d+)?\]\s*/i;

/**
 * A notification subject without its `[FIRING:2]` / `[RESOLVED]` prefix, so a firing and a
 * resolved notice of the same condition read the same. Undefined when nothing is left.
 *
 * @example
 * ```ts
 * withoutStatusPrefix('[FIRING:1] HighMemoryUsage (web-1)'); // 'HighMemoryUsage (web-1)'
 * ```
 */
export function withoutStatusPrefix(subject: string | undefined): string | undefined {
  if (subject === undefined) return undefined;
  const rest = subject.replace(statusPrefix, '').trim();
  return rest === '' ? undefined : rest;
}
