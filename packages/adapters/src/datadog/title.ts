/**
 * What Datadog puts in front of a monitor's name in `$EVENT_TITLE`: the priority, the
 * transition and the group, as in `[P2] [Triggered on {service:api}] Error rate`.
 */

/** The parts of an event title. */
export interface DatadogTitle {
  /** Monitor priority, e.g. `P2`. */
  readonly priority?: string;
  /** Transition word, e.g. `Triggered`, `Recovered`, `Warn`, `No Data`. */
  readonly transition?: string;
  /** The group (scope) inside `on {...}`, e.g. `service:api`. */
  readonly scope?: string;
  /** The rest: the monitor name as rendered. Undefined when nothing is left. */
  readonly monitorName?: string;
}

const priorityPrefix = /^\[(P[1-5])\]\s*/i;
const transitionPrefix =
  /^\[((?:Re-)?(?:Triggered|Warn|No Data)|Renotify|Recovered(?: from [A-Za-z ]+)?|OK|Resolved)(?: on \{(.*?)\})?\]\s*/i;

/**
 * Splits an event title into priority, transition, scope and monitor name. Only the known
 * prefixes are taken off, so a monitor named `[TEST] api` keeps its `[TEST]`. Trailing spaces
 * (left where a template variable rendered empty) are trimmed.
 *
 * @example
 * ```ts
 * parseDatadogTitle('[P2] [Triggered on {service:api}] Error rate');
 * // { priority: 'P2', transition: 'Triggered', scope: 'service:api', monitorName: 'Error rate' }
 * ```
 */
export function parseDatadogTitle(title: string): DatadogTitle {
  let rest = title.trim();
  let priority: string | undefined;
  let transition: string | undefined;
  let scope: string | undefined;
  for (;;) {
    const p = priority === undefined ? priorityPrefix.exec(rest) : null;
    if (p !== null) {
      priority = p[1]?.toUpperCase();
      rest = rest.slice(p[0].length);
      continue;
    }
    const t = transition === undefined ? transitionPrefix.exec(rest) : null;
    if (t !== null) {
      transition = t[1];
      scope = t[2]?.trim() || undefined;
      rest = rest.slice(t[0].length);
      continue;
    }
    break;
  }
  const monitorName = rest.trim();
  return {
    ...(priority === undefined ? {} : { priority }),
    ...(transition === undefined ? {} : { transition }),
    ...(scope === undefined ? {} : { scope }),
    ...(monitorName === '' ? {} : { monitorName }),
  };
}
