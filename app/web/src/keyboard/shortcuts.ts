import type { Shortcut } from './key-sequence';

/** A shortcut of the dashboard, with where it works. */
export interface DashboardShortcut extends Shortcut {
  /** Where it works, as the help dialog groups them: "Anywhere", "Incidents list". */
  readonly scope: string;
}

/** Every keyboard shortcut of the dashboard; pages bind the ones they act on by name. */
export const shortcuts = {
  goIncidents: { keys: ['g', 'i'], description: 'Go to incidents', scope: 'Anywhere' },
  goApprovals: { keys: ['g', 'a'], description: 'Go to approvals', scope: 'Anywhere' },
  help: { keys: ['?'], description: 'Show keyboard shortcuts', scope: 'Anywhere' },
  next: { keys: ['j'], description: 'Select the next incident', scope: 'Incidents list' },
  previous: { keys: ['k'], description: 'Select the previous incident', scope: 'Incidents list' },
  open: { keys: ['Enter'], description: 'Open the selected incident', scope: 'Incidents list' },
  search: { keys: ['/'], description: 'Search incidents', scope: 'Incidents list' },
} as const satisfies Record<string, DashboardShortcut>;

/** A shortcut's name in {@link shortcuts}. */
export type ShortcutName = keyof typeof shortcuts;

/**
 * The shortcuts grouped by scope, in catalogue order, for the help dialog.
 *
 * @example
 * ```ts
 * shortcutGroups()[0]; // { scope: 'Anywhere', shortcuts: [...] }
 * ```
 */
export function shortcutGroups(): { scope: string; shortcuts: DashboardShortcut[] }[] {
  const groups = new Map<string, DashboardShortcut[]>();
  for (const shortcut of Object.values(shortcuts) as DashboardShortcut[]) {
    groups.set(shortcut.scope, [...(groups.get(shortcut.scope) ?? []), shortcut]);
  }
  return [...groups].map(([scope, list]) => ({ scope, shortcuts: list }));
}

/**
 * The index selected after moving `step` rows from `current` (-1: none yet) in a list of
 * `count` rows: the first row when nothing was selected, clamped at both ends.
 *
 * @example
 * ```ts
 * moveSelection(-1, 1, 10); // 0
 * moveSelection(9, 1, 10); // 9
 * ```
 */
export function moveSelection(current: number, step: 1 | -1, count: number): number {
  if (count === 0) return -1;
  if (current < 0 || current >= count) return step === 1 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + step));
}
