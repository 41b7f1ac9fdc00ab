import { quoteForReason, type CommandArgument } from './command-words.js';
import { optionTable } from './option-table.js';
import { findRule } from './read-only-find.js';
import {
  atMostOperands,
  checkGlobs,
  hasOption,
  programRule,
  type ProgramRule,
} from './read-only-rule.js';
import { TEXT_TOOL_RULES } from './read-only-text-tools.js';

/** tar may only list: `t`/`--list` is required, no extraction, no programs, no remote files. */
const TAR_OPTIONS = optionTable('tvf:zjJ', 'list verbose file= gzip bzip2 xz');
const TAR_SHORT = 'tvfzjJ';
const tarListing = programRule({
  summary: 'tar -t/--list with only -v, -f FILE, -z, -j, -J (no extraction, no programs)',
  globs: 'never',
  options: TAR_OPTIONS,
  deny: [
    {
      short: 'xcruA',
      long: ['extract', 'get', 'create', 'append', 'update', 'concatenate', 'delete'],
      because: 'extracts or writes archives',
    },
    {
      short: 'I',
      long: [
        'use-compress-program',
        'to-command',
        'info-script',
        'new-volume-script',
        'checkpoint-action',
      ],
      because: 'runs a program',
    },
  ],
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
 * options (`-t -v -f a.tar`) after checking every letter against the table.
 */
const tar: ProgramRule = {
  summary: tarListing.summary,
  judge: (program, args, context) => {
    const [first, ...rest] = args;
    if (first === undefined || first.value.startsWith('-'))
      return tarListing.judge(program, args, context);
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
    return tarListing.judge(program, [...dashed, ...values], context);
  },
};

/** xxd's options are whole words (`-cols 8`, `-ps`), matched by prefix by xxd itself. */
const XXD_FLAGS = new Set([
  '-a',
  '-autoskip',
  '-b',
  '-bits',
  '-C',
  '-capitalize',
  '-e',
  '-E',
  '-EBCDIC',
  '-i',
  '-include',
  '-p',
  '-ps',
  '-postscript',
  '-plain',
  '-u',
  '-uppercase',
  '-d',
  '-decimal',
]);
const XXD_VALUES = new Set([
  '-c',
  '-cols',
  '-g',
  '-groupsize',
  '-l',
  '-len',
  '-o',
  '-s',
  '-seek',
  '-n',
  '-name',
]);

const xxd: ProgramRule = {
  summary: 'xxd dumping one file: whole-word options only, no -r, at most one file',
  judge: (program, args) => {
    const reasons = checkGlobs(program, args, 'never');
    const operands: CommandArgument[] = [];
    for (let index = 0; index < args.length; index += 1) {
      const word = (args[index] as CommandArgument).value;
      if (XXD_VALUES.has(word)) index += 1;
      else if (word.startsWith('-r') || word === '-revert')
        reasons.push(`${program} ${word} writes binary data back`);
      else if (word.startsWith('-') && word !== '-' && !XXD_FLAGS.has(word)) {
        reasons.push(`${program} option ${quoteForReason(word)} is not on the read-only list`);
      } else if (!word.startsWith('-') || word === '-')
        operands.push(args[index] as CommandArgument);
    }
    return [
      ...reasons,
      ...atMostOperands({ operands }, program, 1, 'file (the second is written)'),
    ];
  },
};

/**
 * Rules for programs that read files, archives and directories, by program name; each
 * has its complete option table.
 *
 * @example
 * ```ts
 * FILE_TOOL_RULES.get('tar')?.judge('tar', args, context); // for `tar -xf a.tar`: ['tar -x extracts or writes archives', ...]
 * ```
 */
export const FILE_TOOL_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ...TEXT_TOOL_RULES,
  [
    'ls',
    programRule({
      summary: 'ls: listing options',
      globs: 'anywhere',
      options: optionTable(
        'aAbBcCdDfFgGhHiI:klLmnNopqQrRsStT:uUvw:xXZ1',
        'all almost-all author escape block-size= ignore-backups color? colour? directory dired classify? file-type format= full-time group-directories-first no-group human-readable si dereference-command-line dereference-command-line-symlink-to-dir hide= hyperlink? indicator-style= inode ignore= kibibytes dereference literal numeric-uid-gid hide-control-chars show-control-chars quote-name quoting-style= reverse recursive size sort= time= time-style= tabsize= width= context zero help version',
      ),
    }),
  ],
  [
    'stat',
    programRule({
      summary: 'stat: format and file-system options',
      globs: 'anywhere',
      options: optionTable(
        'c:fLtZ',
        'dereference file-system format= printf= terse cached= help version',
      ),
    }),
  ],
  [
    'readlink',
    programRule({
      summary: 'readlink: canonicalizing options',
      globs: 'anywhere',
      options: optionTable(
        'efmnqsvz',
        'canonicalize canonicalize-existing canonicalize-missing no-newline quiet silent verbose zero help version',
      ),
    }),
  ],
  [
    'realpath',
    programRule({
      summary: 'realpath: canonicalizing options',
      globs: 'anywhere',
      options: optionTable(
        'eLmPqsz',
        'canonicalize-existing canonicalize-missing logical physical quiet relative-to= relative-base= strip no-symlinks zero help version',
      ),
    }),
  ],
  [
    'which',
    programRule({ summary: 'which: -a, -s', globs: 'anywhere', options: optionTable('as') }),
  ],
  [
    'whereis',
    programRule({
      summary: 'whereis: search options',
      globs: 'anywhere',
      options: optionTable('bmsuBMSfl'),
    }),
  ],
  [
    'du',
    programRule({
      summary: 'du: size options (no --files0-from from standard input issues)',
      globs: 'anywhere',
      options: optionTable(
        '0abB:cd:DhHklLmPsSt:xX:',
        'null all apparent-size block-size= bytes total max-depth= human-readable inodes dereference-args dereference count-links no-dereference separate-dirs si summarize threshold= time? time-style= exclude-from= exclude= one-file-system files0-from= help version',
      ),
    }),
  ],
  [
    'df',
    programRule({
      summary: 'df: listing options, never --sync',
      globs: 'paths',
      options: optionTable(
        'aB:hHiklPt:Tx:v',
        'all block-size= human-readable si inodes local no-sync output? portability print-type total type= exclude-type= help version',
      ),
      deny: [{ long: ['sync'], because: 'makes the kernel write its buffers' }],
    }),
  ],
  [
    'cd',
    programRule({
      summary: 'cd: changes only the directory of this command line',
      globs: 'never',
      options: optionTable('LP'),
    }),
  ],
  ['pwd', programRule({ summary: 'pwd: -L, -P', globs: 'never', options: optionTable('LP') })],
  [
    'file',
    programRule({
      summary:
        'file: type detection without -C (compile), -p (preserve dates), -z (decompressors), -S',
      globs: 'paths',
      options: optionTable(
        '0bcde:EF:f:hiklLm:NnrsvP:',
        'brief checking-printout exclude= exclude-quiet= extension separator= files-from= no-dereference mime mime-type mime-encoding keep-going list dereference magic-file= no-buffer no-pad raw special-files print0 parameter= help version',
      ),
      deny: [
        { short: 'C', long: ['compile'], because: 'writes a compiled magic file' },
        { short: 'p', long: ['preserve-date'], because: 'resets file access times' },
        { short: 'zZ', long: ['uncompress', 'uncompress-noreport'], because: 'runs decompressors' },
        { short: 'S', long: ['no-sandbox'], because: 'turns its sandbox off' },
      ],
    }),
  ],
  [
    'tree',
    programRule({
      summary: 'tree: listing options, never -o (output file)',
      globs: 'paths',
      options: optionTable(
        'aAdfFghilnpqsuvxCDJNQrtUcXL:P:I:',
        'noreport inodes device dirsfirst filesfirst si du prune charset= filelimit= timefmt= sort= gitignore matchdirs ignore-case info metafirst help version',
      ),
      deny: [{ short: 'o', because: 'writes its output to a file', value: true }],
    }),
  ],
  ['find', findRule],
  ['tar', tar],
  [
    'gzip',
    programRule({
      summary: 'gzip -l/--list or -t/--test only, with -v/-q',
      globs: 'paths',
      options: optionTable('ltvq', 'list test verbose quiet'),
      check: (parsed, program) =>
        hasOption(parsed, 'lt', ['list', 'test'])
          ? []
          : [`${program} without -l or -t compresses or decompresses files`],
    }),
  ],
  [
    'zcat',
    programRule({
      summary: 'zcat with -f, -q, -v only',
      globs: 'paths',
      options: optionTable('fqv', 'force quiet verbose'),
    }),
  ],
  ['xxd', xxd],
]);
