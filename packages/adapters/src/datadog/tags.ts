/**
 * Datadog tags (`$TAGS`, `$ALERT_SCOPE`) as labels.
 */
import { text } from '@akmatori/core';

/**
 * Reads tags given as a comma-separated string or a list into labels, splitting each tag on
 * its first colon (`database_id:db:main` → `database_id` = `db:main`). A tag without a colon
 * (`monitor`) becomes a label with an empty value; repeated keys keep every value, joined by
 * commas.
 *
 * @example
 * ```ts
 * datadogTags('env:prod,monitor, service:api'); // { env: 'prod', monitor: '', service: 'api' }
 * ```
 */
export function datadogTags(raw: unknown): Record<string, string> {
  const tags = Array.isArray(raw) ? raw.map((tag) => text(tag)) : (text(raw)?.split(',') ?? []);
  const labels: Record<string, string> = {};
  for (const tag of tags) {
    const trimmed = tag?.trim();
    if (trimmed === undefined || trimmed === '') continue;
    const colon = trimmed.indexOf(':');
    const key = colon === -1 ? trimmed : trimmed.slice(0, colon).trim();
    const value = colon === -1 ? '' : trimmed.slice(colon + 1).trim();
    if (key === '') continue;
    const previous = labels[key];
    labels[key] = previous === undefined || previous === value ? value : `${previous},${value}`;
  }
  return labels;
}
