/**
 * Quotes a value for POSIX sh (single quotes; a single quote becomes `'\''`).
 *
 * @example
 * ```ts
 * shellQuote("it's"); // `'it'\''s'`
 * ```
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The directory part of an absolute path (`/var/log/app.log` → `/var/log`). */
export function parentOf(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

/**
 * Lines that write `content` to `path` inside the host (creating its directory), as a quoted
 * here-document-free printf, so any bytes survive.
 *
 * @example
 * ```ts
 * writeFileLines('/etc/app/config.yaml', 'port: 80\n'); // ["mkdir -p '/etc/app'", "printf '%s' 'port: 80\n' > ..."]
 * ```
 */
export function writeFileLines(path: string, content: string, mode?: string): string[] {
  return [
    `mkdir -p ${shellQuote(parentOf(path))}`,
    `rm -f ${shellQuote(path)}`,
    `printf '%s' ${shellQuote(content)} > ${shellQuote(path)}`,
    ...(mode === undefined ? [] : [`chmod ${mode} ${shellQuote(path)}`]),
  ];
}

/**
 * Lines that wait (every 0.1 s, at most a minute) until the sh `condition` holds, and otherwise
 * fail the host's build saying what did not happen.
 *
 * @example
 * ```ts
 * waitUntilLines('[ -s /var/log/app.log ]', 'app to open its log');
 * ```
 */
export function waitUntilLines(condition: string, what: string): string[] {
  return [
    'waited=0',
    `until ${condition}; do`,
    '  waited=$((waited + 1))',
    `  if [ "$waited" -gt 600 ]; then printf '%s\\n' ${shellQuote(`gave up waiting for ${what}`)} >&2; exit 1; fi`,
    '  sleep 0.1',
    'done',
  ];
}
