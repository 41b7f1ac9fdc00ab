/** What a scrubbed secret is replaced with. */
export const SCRUBBED = '[secret scrubbed]';

/** Secrets shorter than this are not scrubbed: replacing every "a" would make output unreadable. */
export const MIN_SCRUBBED_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of the known secret values in `text`. Multi-line secrets (a
 * private key) are also scrubbed line by line, so a tool that prints part of one leaks
 * nothing either.
 *
 * @example
 * ```ts
 * scrubSecrets('token=s3cr3t-value', ['s3cr3t-value']); // 'token=[secret scrubbed]'
 * ```
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    needles.add(secret);
    if (secret.includes('\n')) for (const line of secret.split(/\r?\n/)) needles.add(line.trim());
  }
  let scrubbed = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const needle of [...needles].sort((a, b) => b.length - a.length)) {
    if (needle.length < MIN_SCRUBBED_SECRET_LENGTH) continue;
    scrubbed = scrubbed.split(needle).join(SCRUBBED);
  }
  return scrubbed;
}

/**
 * Scrubs secrets out of every string inside a JSON-like value (objects, arrays, strings).
 *
 * @example
 * ```ts
 * scrubValue({ cmd: 'echo s3cr3t-value' }, ['s3cr3t-value']); // { cmd: 'echo [secret scrubbed]' }
 * ```
 */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return scrubSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, scrubValue(item as unknown, secrets)]),
    ) as T;
  }
  return value;
}
