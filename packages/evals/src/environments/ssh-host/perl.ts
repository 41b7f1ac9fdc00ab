/**
 * Quotes a value as a Perl single-quoted string (`\` and `'` escaped), for the programs the
 * faults write.
 *
 * @example
 * ```ts
 * perlQuote("it's"); // `'it\'s'`
 * ```
 */
export function perlQuote(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Perl lines every fault program starts with: strict, unbuffered output, and `stamp()` (UTC). */
export const PERL_PRELUDE: readonly string[] = [
  'use strict;',
  'use warnings;',
  'use POSIX qw(strftime);',
  '$| = 1;',
  "sub stamp { return strftime('%Y-%m-%dT%H:%M:%SZ', gmtime()); }",
];
