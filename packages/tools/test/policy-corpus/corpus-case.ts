/**
 * One case of the command policy corpus. `refuse` means the policy must not judge it
 * read-only (it needs approval or is refused); `allow` means it must run at once.
 * Commands may use placeholders the tests fill in:
 * - `{CANARY}`: a directory that must not change (it holds a file `seed`);
 * - `{HOST}`, `{PORT}`: a TCP listener on loopback that must receive nothing;
 * - `{URL}`: `http://{HOST}:{PORT}/x`.
 */
export interface CorpusCase {
  readonly command: string;
  readonly expect: 'refuse' | 'allow';
  /** What the command would do if it ran (for refusals), or what it shows (for allows). */
  readonly why: string;
}

/** A command that must not run without approval, and what it would do. */
export const refuse = (command: string, why: string): CorpusCase => ({
  command,
  expect: 'refuse',
  why,
});

/** A command that must run at once, and what it shows. */
export const allow = (command: string, why: string): CorpusCase => ({
  command,
  expect: 'allow',
  why,
});

/** The destinations on the corpus instance's network_allowlist (never the test listener). */
export const CORPUS_NETWORK_ALLOWLIST = [
  'allowed.example',
  '*.allowed.example',
  'https://status.example/api/',
  '192.0.2.10',
];

/** Fills the placeholders of a corpus command. */
export function fillPlaceholders(
  command: string,
  values: { readonly canary: string; readonly host: string; readonly port: number },
): string {
  return command
    .replaceAll('{URL}', `http://${values.host}:${values.port}/x`)
    .replaceAll('{CANARY}', values.canary)
    .replaceAll('{HOST}', values.host)
    .replaceAll('{PORT}', String(values.port));
}
