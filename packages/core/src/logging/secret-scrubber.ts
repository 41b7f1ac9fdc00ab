/**
 * The secret scrubber: known secret values (a tool instance's credentials) and secrets written
 * inline in command text are replaced by `[secret scrubbed]` in what is logged, audited and
 * returned. The inline rules replace only the value, and only a value the shell does not
 * expand (no `$`, backquote or backslash; a bare word without `; | & ( ) < >`), so scrubbing
 * never hides a command substitution or a second command from whoever reads or approves it.
 */

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
 * A URL with the password of its user information scrubbed, whatever its length or
 * characters: connection strings (`DATABASE_URL`) in logs, banners and errors. Text that is
 * not a URL with a host is not shown at all.
 *
 * @example
 * ```ts
 * scrubUrlPassword('postgres://akmatori:pw@db:5432/akmatori'); // 'postgres://akmatori:[secret scrubbed]@db:5432/akmatori'
 * ```
 */
export function scrubUrlPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(not a URL)';
  }
  // `user:pw@db` parses as scheme `user:` with the password in its path: no host, not shown.
  if (parsed.host === '') return '(not a URL)';
  if (parsed.password === '') return parsed.toString();
  // URL would percent-encode the marker; a placeholder of URL-safe letters is swapped for it.
  const placeholder = 'SCRUBBEDPASSWORD';
  parsed.password = placeholder;
  return parsed.toString().replace(`:${placeholder}@`, `:${SCRUBBED}@`);
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
  return mapStrings(value, (text) => scrubSecrets(text, secrets));
}

/**
 * Scrubs command text: the secrets written inline in it (see {@link scrubInlineSecrets}),
 * then the known secret values. For every log line, audit record and approval that carries a
 * command.
 *
 * @example
 * ```ts
 * scrubCommand("curl -H 'Authorization: Bearer abc123' https://api"); // "curl -H 'Authorization: Bearer [secret scrubbed]' https://api"
 * ```
 */
export function scrubCommand(text: string, secrets: readonly string[] = []): string {
  return scrubSecrets(scrubInlineSecrets(text), secrets);
}

/**
 * {@link scrubCommand} over every string inside a JSON-like value (a tool call's arguments,
 * an approval request).
 *
 * @example
 * ```ts
 * scrubCommandValue({ command: 'mysql -pS3cret -e "select 1"' }); // { command: 'mysql -p[secret scrubbed] -e "select 1"' }
 * ```
 */
export function scrubCommandValue<T>(value: T, secrets: readonly string[] = []): T {
  return mapStrings(value, (text) => scrubCommand(text, secrets));
}

function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, map)) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapStrings(item as unknown, map)]),
    ) as T;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

// Secrets written into command text itself, which no stored value names: `mysql -pX`,
// `PGPASSWORD=X psql`, `curl -H 'Authorization: Bearer X'`, `https://user:X@host`.

const notScrubbed = '(?!\\[secret scrubbed\\])';
/** A bare word with nothing the shell expands or splits on. */
const bare = '[^\\s\'"`$\\\\;|&()<>]+';
/** A value: single-quoted (nothing inside is expanded), double-quoted without expansions, or bare. */
const value = `${notScrubbed}(?:'[^']*'|"[^"\`$\\\\]*"|${bare})`;
/** A value inside a header or URL: a bare word only. */
const token = `${notScrubbed}${bare}`;

/** How a variable or JSON field holding a secret ends (`PGPASSWORD`, `MYSQL_PWD`, `api_key`). */
const secretName =
  '(?:[a-z0-9_]*?(?:password|passwd|_pass|_pwd|token|secret|secret_?key|api_?key|access_?key|private_?key|credentials?)|pass)';
/** How a long option holding a secret ends (`--password`, `--db-password`, `--api-key`). */
const optionWords =
  'password|passwd|pass|token|secret|secret-?key|api-?key|access-?key|private-?key|credentials?';
/** Authorization schemes, kept in the line: the credential follows them. */
const authSchemes = '(?:bearer|basic|token|digest|negotiate|apikey|api-key|sso-key)';
const mysqlFamily =
  'mysql|mysqldump|mysqladmin|mysqlcheck|mysqlimport|mysqlshow|mysqlbinlog|mysqlslap|mariadb|mariadb-dump|mariadb-admin|mariadb-check';
/** The rest of one simple command (up to a separator or the end of the line). */
const sameCommand = '[^;&|\\n]*?';

interface InlineRule {
  /** What the rule finds, for tests and docs. */
  readonly name: string;
  /** Group 1 is kept; what follows it (the value) is replaced. */
  readonly pattern: RegExp;
}

/** The rules, in the order they are applied. */
export const inlineSecretRules: readonly InlineRule[] = Object.freeze([
  {
    name: 'URL user information (scheme://user:SECRET@host)',
    pattern: new RegExp(
      `(\\b[a-z][a-z0-9+.-]*://[^\\s/@:'"\`$\\\\]*:)${notScrubbed}[^\\s/@'"\`$\\\\;|&()<>]+(?=@)`,
      'gi',
    ),
  },
  {
    name: 'HTTP authorization header (Authorization: Bearer SECRET)',
    pattern: new RegExp(
      `(\\b(?:proxy-)?authorization\\s*:\\s*(?:${authSchemes}\\s+|(?!${authSchemes}\\s)))${token}`,
      'gi',
    ),
  },
  {
    name: 'HTTP header named like a secret (X-Api-Key: SECRET, PRIVATE-TOKEN: SECRET)',
    pattern: new RegExp(`(\\b[a-z0-9-]*(?:api-?key|token|secret|password)\\s*:\\s*)${token}`, 'gi'),
  },
  {
    name: "HTTP cookie header in quotes ('Cookie: a=SECRET; b=SECRET')",
    pattern: new RegExp(`((['"])cookie\\s*:\\s*)${notScrubbed}[^\\n'"\`$\\\\]+(?=\\2)`, 'gi'),
  },
  {
    name: 'JSON field named like a secret ("password": "SECRET")',
    pattern: new RegExp(`("${secretName}"\\s*:\\s*)${notScrubbed}"[^"\\n\`$\\\\]*"`, 'gi'),
  },
  {
    name: 'variable named like a secret (PGPASSWORD=SECRET, MYSQL_PWD=SECRET, ?token=SECRET)',
    pattern: new RegExp(`((?:^|[\\s;&|(\`?'"])${secretName}=)${value}`, 'gi'),
  },
  {
    name: 'long option named like a secret (--password=SECRET, --db-password SECRET)',
    pattern: new RegExp(`(\\s--[a-z0-9-]*?(?:${optionWords})(?:=|\\s+)(?!-))${value}`, 'gi'),
  },
  {
    name: 'MySQL and MariaDB clients (mysql -pSECRET)',
    pattern: new RegExp(`(\\b(?:${mysqlFamily})\\b${sameCommand}\\s-p)${value}`, 'g'),
  },
  {
    name: 'sshpass (sshpass -p SECRET)',
    pattern: new RegExp(`(\\bsshpass\\b${sameCommand}\\s-p\\s*)${value}`, 'g'),
  },
  {
    name: 'redis-cli (redis-cli -a SECRET)',
    pattern: new RegExp(`(\\bredis-cli\\b${sameCommand}\\s-a\\s*)${value}`, 'g'),
  },
  {
    name: "curl's user (curl -u user:SECRET)",
    pattern: new RegExp(
      `(\\bcurl\\b${sameCommand}\\s(?:-u|--user|-U|--proxy-user)\\s*['"]?[^\\s:'"\`$\\\\]*:)${token}`,
      'g',
    ),
  },
]);

/**
 * Replaces the secrets written inline in command text (see {@link inlineSecretRules}) by
 * `[secret scrubbed]`. Applying it twice changes nothing more.
 *
 * @example
 * ```ts
 * scrubInlineSecrets('PGPASSWORD=hunter2 psql -h db'); // 'PGPASSWORD=[secret scrubbed] psql -h db'
 * ```
 */
export function scrubInlineSecrets(text: string): string {
  let scrubbed = text;
  for (const { pattern } of inlineSecretRules)
    scrubbed = scrubbed.replace(pattern, (_match, kept: string) => `${kept}${SCRUBBED}`);
  return scrubbed;
}
