import type { SkillFrontmatter } from '@akmatori/core';
import type { AlertRecord } from '@akmatori/host';

/** The `metadata` keys of SKILL.md that say which alert-triggered incidents a skill applies to. */
export const selectorKeys = {
  /** Source types (`alertmanager`) or alert source names, comma-separated globs. */
  sources: 'akmatori.sources',
  /** Alert names, comma-separated globs (`Disk*, HighLoad`). */
  alerts: 'akmatori.alerts',
  /** Labels, comma-separated `key=value` globs (`team=storage, env=prod*`). */
  labels: 'akmatori.labels',
} as const;

/** What a skill's selectors say; an empty list selects nothing by that kind. */
export interface SkillSelectors {
  readonly sources: readonly string[];
  readonly alerts: readonly string[];
  readonly labels: readonly { readonly key: string; readonly value: string }[];
}

/** The alert source an incident came from, as selectors see it. */
export interface IncidentSource {
  readonly type: string;
  readonly name: string | undefined;
}

/**
 * The selectors a skill declares in its frontmatter `metadata`, or undefined when it declares
 * none (it then applies to an alert-triggered incident only when the source names it).
 *
 * @example
 * ```ts
 * skillSelectors({ name: 'disk', description: 'd', metadata: { 'akmatori.alerts': 'Disk*' } });
 * // { sources: [], alerts: ['Disk*'], labels: [] }
 * ```
 */
export function skillSelectors(frontmatter: SkillFrontmatter): SkillSelectors | undefined {
  const metadata = frontmatter.metadata ?? {};
  const list = (key: string): string[] =>
    (metadata[key] ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const selectors: SkillSelectors = {
    sources: list(selectorKeys.sources),
    alerts: list(selectorKeys.alerts),
    labels: list(selectorKeys.labels).flatMap((item) => {
      const at = item.indexOf('=');
      return at <= 0 ? [] : [{ key: item.slice(0, at).trim(), value: item.slice(at + 1).trim() }];
    }),
  };
  const declared = selectors.sources.length + selectors.alerts.length + selectors.labels.length > 0;
  return declared ? selectors : undefined;
}

/**
 * Whether selectors match an incident: every kind the skill declares must match: the source
 * (its type or name) against `akmatori.sources`, and one same alert against both
 * `akmatori.alerts` (its name) and `akmatori.labels` (any one `key=value`). Globs take `*` and
 * `?` and ignore case.
 */
export function selectorsMatch(
  selectors: SkillSelectors,
  source: IncidentSource | undefined,
  alerts: readonly Pick<AlertRecord, 'name' | 'labels'>[],
): boolean {
  if (selectors.sources.length > 0) {
    const names = source === undefined ? [] : [source.type, source.name ?? ''];
    if (!selectors.sources.some((glob) => names.some((name) => globMatch(glob, name))))
      return false;
  }
  if (selectors.alerts.length === 0 && selectors.labels.length === 0) return true;
  return alerts.some(
    (alert) =>
      (selectors.alerts.length === 0 ||
        selectors.alerts.some((glob) => globMatch(glob, alert.name))) &&
      (selectors.labels.length === 0 ||
        selectors.labels.some(
          ({ key, value }) => key in alert.labels && globMatch(value, alert.labels[key] ?? ''),
        )),
  );
}

/**
 * Whether `text` matches a glob of `*` (any run) and `?` (one character), ignoring case.
 *
 * @example
 * ```ts
 * globMatch('Disk*', 'DiskFull'); // true
 * ```
 */
export function globMatch(glob: string, text: string): boolean {
  const pattern = glob
    .split('')
    .map((char) =>
      char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${pattern}$`, 'is').test(text);
}
