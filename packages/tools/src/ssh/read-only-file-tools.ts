import type { ParsedArguments } from './command-options.js';
import { quoteForReason, type CommandArgument } from './command-words.js';
import {
  atMostOperands,
  checkGlobs,
  hasOption,
  programRule,
  type ProgramRule,
} from './read-only-rule.js';

/** Programs with no option that writes, runs code or never ends: any argument is fine. */
const plainReaders = (summary: string): ProgramRule => programRule({ summary, globs: 'anywhere' });

const FIND_ACTIONS_THAT_WRITE = new Map<string, string>([
  ['-exec', 'runs a command'],
  ['-execdir', 'runs a command'],
  ['-ok', 'runs a command'],
  ['-okdir', 'runs a command'],
  ['-delete', 'deletes files'],
  ['-fprint', 'writes a file'],
  ['-fprint0', 'writes a file'],
  ['-fprintf', 'writes a file'],
  ['-fls', 'writes a file'],
]);

const find: ProgramRule = {
  summary: 'find without -exec/-execdir/-ok/-okdir, -delete or -fprint/-fprint0/-fprintf/-fls',
  judge: (program, args) => [
    ...checkGlobs(program, args, 'paths'),
    ...args.flatMap((arg) => {
      const effect = FIND_ACTIONS_THAT_WRITE.get(arg.value);
      return effect === undefined ? [] : [`${program} ${arg.value} ${effect}`];
    }),
  ],
};

/** Only these tar options; `t`/`--list` is required, so tar never extracts or creates. */
const TAR_SHORT = 'tvfzjJ';
const TAR_LONG = ['list', 'verbose', 'file', 'gzip', 'bzip2', 'xz'];
const tarListing = programRule({
  summary: 'tar -t/--list with only -v, -f FILE, -z, -j, -J (no extraction, no programs)',
  globs: 'never',
  syntax: { valueShort: 'f', valueLong: ['file'] },
  allow: { short: TAR_SHORT, long: TAR_LONG },
  check: (parsed, program) => [
    ...(hasOption(parsed, 't', ['list'])
      ? []
      : [`${program} without -t/--list may extract or create archives`]),
    ...parsed.options
      .filter(
        (option) => (option.name === 'f' || option.name === 'file') && option.value?.includes(':'),
      )
      .map(
        (option) => `${program} -f ${quoteForReason(option.value ?? '')} names a remote archive`,
      ),
  ],
});

/**
 * Old-style `tar tvf a.tar`: the first word is a cluster of letters without a dash, and
 * each letter that takes a value takes the next word, in order. Rewritten as dashed
 * options (`-t -v -f a.tar`) after checking every letter against the allowlist.
 */
const tar: ProgramRule = {
  summary: tarListing.summary,
  judge: (program, args) => {
    const [first, ...rest] = args;
    if (first === undefined || first.value.startsWith('-')) return tarListing.judge(program, args);
    const letters = [...first.value];
    const unknown = letters.filter((letter) => !TAR_SHORT.includes(letter));
    if (unknown.length > 0) {
      return unknown.map(
        (letter) =>
          `${program} option ${quoteForReason(`-${letter}`)} is not on the read-only list`,
      );
    }
    const dashed: CommandArgument[] = [];
    const values = [...rest];
    for (const letter of letters) {
      dashed.push({ ...first, value: `-${letter}` });
      const value = letter === 'f' ? values.shift() : undefined;
      if (value !== undefined) dashed.push(value);
    }
    return tarListing.judge(program, [...dashed, ...values]);
  },
};

const requireOneOf =
  (short: string, long: readonly string[], what: string) =>
  (parsed: ParsedArguments, program: string): string[] =>
    hasOption(parsed, short, long) ? [] : [`${program} ${what}`];

/**
 * Rules for programs that read files and text, by program name.
 *
 * @example
 * ```ts
 * FILE_TOOL_RULES.get('sort')?.judge('sort', args); // for `sort -o out`: ['sort -o writes its output to a file']
 * ```
 */
export const FILE_TOOL_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ['ls', plainReaders('ls: any option')],
  ['cat', plainReaders('cat: any option')],
  ['tac', plainReaders('tac: any option')],
  ['nl', plainReaders('nl: any option')],
  ['head', plainReaders('head: any option')],
  ['wc', plainReaders('wc: any option')],
  ['grep', plainReaders('grep: any option')],
  ['egrep', plainReaders('egrep: any option')],
  ['fgrep', plainReaders('fgrep: any option')],
  [
    'zgrep',
    programRule({
      summary: 'zgrep: any option, no globs (old zgrep mishandles odd file names)',
      globs: 'never',
    }),
  ],
  ['cut', plainReaders('cut: any option')],
  ['tr', plainReaders('tr: any option (reads standard input only)')],
  ['rev', plainReaders('rev: any option')],
  ['strings', plainReaders('strings: any option')],
  ['column', plainReaders('column: any option')],
  ['comm', plainReaders('comm: any option')],
  ['cmp', plainReaders('cmp: any option')],
  ['diff', plainReaders('diff: any option')],
  ['od', plainReaders('od: any option')],
  ['hexdump', plainReaders('hexdump: any option')],
  ['base64', plainReaders('base64: any option (output goes to standard output)')],
  ['md5sum', plainReaders('md5sum: any option')],
  ['sha1sum', plainReaders('sha1sum: any option')],
  ['sha256sum', plainReaders('sha256sum: any option')],
  ['sha512sum', plainReaders('sha512sum: any option')],
  ['stat', plainReaders('stat: any option')],
  ['readlink', plainReaders('readlink: any option')],
  ['realpath', plainReaders('realpath: any option')],
  ['which', plainReaders('which: any option')],
  ['whereis', plainReaders('whereis: any option')],
  ['du', plainReaders('du: any option')],
  ['df', plainReaders('df: any option')],
  ['jq', plainReaders('jq: any option (jq cannot write files or run commands)')],
  ['echo', plainReaders('echo: any argument')],
  ['seq', plainReaders('seq: any argument')],
  ['true', plainReaders('true')],
  ['false', plainReaders('false')],
  ['pwd', plainReaders('pwd')],
  [
    'cd',
    programRule({ summary: 'cd: changes only the directory of this command line', globs: 'never' }),
  ],
  [
    'tail',
    programRule({
      summary: 'tail without -f/-F/--follow (following never ends)',
      globs: 'paths',
      syntax: { valueShort: 'cns' },
      deny: [{ short: 'fF', long: ['follow'], because: 'follows the file and never ends' }],
    }),
  ],
  [
    'sort',
    programRule({
      summary: 'sort without -o/--output or --compress-program',
      globs: 'paths',
      syntax: { valueShort: 'ktTSo', valueLong: ['key', 'field-separator', 'temporary-directory'] },
      deny: [
        { short: 'o', long: ['output'], because: 'writes its output to a file' },
        { long: ['compress-program'], because: 'runs a program' },
      ],
    }),
  ],
  [
    'uniq',
    programRule({
      summary: 'uniq with at most one file (a second one is written)',
      globs: 'never',
      syntax: { valueShort: 'fsw', valueLong: ['skip-fields', 'skip-chars', 'check-chars'] },
      check: (parsed, program) =>
        atMostOperands(parsed, program, 1, 'file (the second is written)'),
    }),
  ],
  [
    'xxd',
    programRule({
      summary: 'xxd without -r and with at most one file (a second one is written)',
      globs: 'never',
      syntax: { valueShort: 'cglosn' },
      deny: [{ short: 'r', because: 'writes binary data back' }],
      check: (parsed, program) =>
        atMostOperands(parsed, program, 1, 'file (the second is written)'),
    }),
  ],
  [
    'file',
    programRule({
      summary: 'file without -C/--compile (which writes a magic file)',
      globs: 'paths',
      syntax: {
        valueShort: 'emfFP',
        valueLong: ['magic-file', 'separator', 'exclude', 'files-from'],
      },
      deny: [{ short: 'C', long: ['compile'], because: 'writes a compiled magic file' }],
    }),
  ],
  [
    'tree',
    programRule({
      summary: 'tree without -o (which writes a file)',
      globs: 'paths',
      deny: [{ short: 'o', because: 'writes its output to a file' }],
    }),
  ],
  ['find', find],
  ['tar', tar],
  [
    'gzip',
    programRule({
      summary: 'gzip -l/--list or -t/--test only, with -v/-q',
      globs: 'paths',
      allow: { short: 'ltvq', long: ['list', 'test', 'verbose', 'quiet'] },
      check: requireOneOf(
        'lt',
        ['list', 'test'],
        'without -l or -t compresses or decompresses files',
      ),
    }),
  ],
  [
    'zcat',
    programRule({
      summary: 'zcat with -f, -q, -v only',
      globs: 'paths',
      allow: { short: 'fqv', long: ['force', 'quiet', 'verbose'] },
    }),
  ],
]);
