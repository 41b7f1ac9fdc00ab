import { optionTable, type OptionTable } from './option-table.js';
import { atMostOperands, programRule, type ProgramRule } from './read-only-rule.js';

/**
 * A program none of whose options (in its table or not) writes, runs code, reaches the
 * network or never ends, so a glob may expand anywhere, even to an option.
 */
const reader = (summary: string, options: OptionTable): ProgramRule =>
  programRule({ summary, globs: 'anywhere', options });

const GREP_SHORT = 'EFGPe:f:iyvwxcLlm:oqsbHhnTZzA:B:C:aId:D:rRUV0123456789';
const GREP_LONG = [
  'extended-regexp',
  'fixed-strings',
  'basic-regexp',
  'perl-regexp',
  'regexp=',
  'file=',
  'ignore-case',
  'no-ignore-case',
  'word-regexp',
  'line-regexp',
  'null-data',
  'no-messages',
  'invert-match',
  'version',
  'help',
  'max-count=',
  'byte-offset',
  'line-number',
  'no-line-number',
  'line-buffered',
  'with-filename',
  'no-filename',
  'label=',
  'only-matching',
  'quiet',
  'silent',
  'binary-files=',
  'text',
  'directories=',
  'devices=',
  'recursive',
  'dereference-recursive',
  'include=',
  'exclude=',
  'exclude-from=',
  'exclude-dir=',
  'files-without-match',
  'files-with-matches',
  'count',
  'initial-tab',
  'null',
  'before-context=',
  'after-context=',
  'context=',
  'color?',
  'colour?',
  'binary',
];
const GREP = optionTable(GREP_SHORT, GREP_LONG);
const SUMS = optionTable(
  'bcqtwz',
  'binary check tag text ignore-missing quiet status strict warn zero help version',
);

/**
 * Rules for programs that read text and print it (cat, grep, sort...), by name. None of
 * these options writes a file, runs a program or reaches the network; positional output
 * files (`uniq IN OUT`) are refused by operand counts.
 *
 * @example
 * ```ts
 * TEXT_TOOL_RULES.get('sort')?.judge('sort', args, context); // for `sort -o out`: ['sort -o writes its output to a file']
 * ```
 */
export const TEXT_TOOL_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  [
    'cat',
    reader(
      'cat: display options',
      optionTable(
        'AbeEnstTuv',
        'show-all number-nonblank show-ends number squeeze-blank show-tabs show-nonprinting help version',
      ),
    ),
  ],
  [
    'tac',
    reader('tac: separator options', optionTable('brs:', 'before regex separator= help version')),
  ],
  [
    'nl',
    reader(
      'nl: numbering options',
      optionTable(
        'b:d:f:h:i:l:n:ps:v:w:',
        'body-numbering= section-delimiter= footer-numbering= header-numbering= line-increment= join-blank-lines= number-format= no-renumber number-separator= starting-line-number= number-width= help version',
      ),
    ),
  ],
  [
    'head',
    reader(
      'head: count options',
      optionTable(
        'c:n:qvz0123456789',
        'bytes= lines= quiet silent verbose zero-terminated help version',
      ),
    ),
  ],
  [
    'tail',
    programRule({
      summary: 'tail without -f/-F/--follow (following never ends)',
      globs: 'paths',
      options: optionTable(
        'c:n:qvz0123456789',
        'bytes= lines= quiet silent verbose zero-terminated help version',
      ),
      deny: [
        {
          short: 'fF',
          long: ['follow', 'retry', 'pid', 'sleep-interval'],
          because: 'follows the file and never ends',
        },
      ],
    }),
  ],
  [
    'wc',
    reader(
      'wc: count options',
      optionTable(
        'clmwL',
        'bytes chars lines words max-line-length files0-from= total= help version',
      ),
    ),
  ],
  ['grep', reader('grep: matching and display options', GREP)],
  ['egrep', reader('egrep: as grep', GREP)],
  ['fgrep', reader('fgrep: as grep', GREP)],
  [
    'zgrep',
    programRule({
      summary: 'zgrep: grep options, no globs (old zgrep mishandles odd file names)',
      globs: 'never',
      options: GREP,
    }),
  ],
  [
    'cut',
    reader(
      'cut: field options',
      optionTable(
        'b:c:d:f:nsz',
        'bytes= characters= delimiter= fields= complement only-delimited output-delimiter= zero-terminated help version',
      ),
    ),
  ],
  [
    'tr',
    reader(
      'tr: translation options (reads standard input only)',
      optionTable('cCdst', 'complement delete squeeze-repeats truncate-set1 help version'),
    ),
  ],
  ['rev', reader('rev: -0', optionTable('0hV', 'zero help version'))],
  [
    'strings',
    programRule({
      summary: 'strings: scanning options, no @response files',
      globs: 'anywhere',
      options: optionTable(
        'adfn:t:e:ows:0123456789',
        'all data print-file-name bytes= radix= encoding= include-all-whitespace output-separator= help version',
      ),
      check: (parsed, program) =>
        parsed.operands
          .filter((operand) => operand.value.startsWith('@'))
          .map((operand) => `${program} ${operand.value} reads options from a file`),
    }),
  ],
  [
    'column',
    reader(
      'column: table options',
      optionTable(
        'c:s:o:txenN:l:R:T:W:H:O:E:dJLr:i:',
        'columns= separator= output-separator= table table-columns= table-name= table-hide= table-right= table-truncate= table-wrap= table-order= table-noextreme= table-noheadings table-header-repeat json keep-empty-lines tree= tree-id= tree-parent= fillrows help version',
      ),
    ),
  ],
  [
    'comm',
    reader(
      'comm: column options',
      optionTable(
        '123z',
        'check-order nocheck-order output-delimiter= total zero-terminated help version',
      ),
    ),
  ],
  [
    'cmp',
    reader(
      'cmp: comparison options',
      optionTable(
        'bi:ln:s',
        'print-bytes ignore-initial= verbose bytes= quiet silent help version',
      ),
    ),
  ],
  [
    'diff',
    programRule({
      summary: 'diff: comparison and format options (no -l, which runs pr)',
      globs: 'paths',
      options: optionTable(
        'abBcC:dD:eEfF:hHiI:nNpPqrsS:tTuU:vwWx:X:yZ',
        'normal brief report-identical-files context? unified? ed rcs side-by-side width= left-column suppress-common-lines show-c-function show-function-line= label= expand-tabs initial-tab tabsize= suppress-blank-empty new-file unidirectional-new-file ignore-case ignore-tab-expansion ignore-trailing-space ignore-space-change ignore-all-space ignore-blank-lines ignore-matching-lines= text strip-trailing-cr recursive no-dereference exclude= exclude-from= starting-file= from-file= to-file= ignore-file-name-case no-ignore-file-name-case minimal horizon-lines= speed-large-files color? palette= line-format= old-line-format= new-line-format= unchanged-line-format= old-group-format= new-group-format= changed-group-format= unchanged-group-format= help version',
      ),
      deny: [{ short: 'l', long: ['paginate'], because: 'runs pr' }],
    }),
  ],
  [
    'od',
    reader(
      'od: format options',
      optionTable(
        'A:j:N:S::t:vw::abcdfiloxsBDeFHILOX',
        'address-radix= skip-bytes= read-bytes= strings? format= output-duplicates width? endian= traditional help version',
      ),
    ),
  ],
  [
    'hexdump',
    reader(
      'hexdump: format options',
      optionTable(
        'bcCde:f:L::n:os:vx',
        'one-byte-octal one-byte-char canonical two-bytes-decimal format= format-file= color? length= two-bytes-octal skip= no-squeezing two-bytes-hex help version',
      ),
    ),
  ],
  [
    'base64',
    programRule({
      summary: 'base64 to standard output, one file at most',
      globs: 'never',
      options: optionTable('diw:', 'decode ignore-garbage wrap= help version'),
      check: (parsed, program) => atMostOperands(parsed, program, 1, 'file'),
    }),
  ],
  ['md5sum', reader('md5sum: check options', SUMS)],
  ['sha1sum', reader('sha1sum: check options', SUMS)],
  ['sha256sum', reader('sha256sum: check options', SUMS)],
  ['sha512sum', reader('sha512sum: check options', SUMS)],
  [
    'jq',
    programRule({
      summary: 'jq: output options; no --arg/--slurpfile/--rawfile, -L or -f',
      globs: 'anywhere',
      options: optionTable(
        'nrjaSCMcesR',
        'null-input raw-input slurp compact-output tab indent= color-output monochrome-output ascii-output unbuffered sort-keys raw-output join-output exit-status seq stream help version',
      ),
    }),
  ],
  ['echo', reader('echo: -n, -e, -E', optionTable('neE'))],
  [
    'seq',
    reader(
      'seq: format options',
      optionTable('f:s:w', 'format= separator= equal-width help version'),
    ),
  ],
  ['true', reader('true', optionTable(''))],
  ['false', reader('false', optionTable(''))],
  [
    'sort',
    programRule({
      summary: 'sort without -o/--output, -T or --compress-program',
      globs: 'paths',
      options: optionTable(
        'bdfgiMhnRrVcCk:mst:uzS:',
        'ignore-leading-blanks dictionary-order ignore-case general-numeric-sort ignore-nonprinting month-sort human-numeric-sort numeric-sort random-sort random-source= reverse sort= version-sort batch-size= check? key= merge field-separator= buffer-size= stable unique zero-terminated parallel= debug files0-from= help version',
      ),
      deny: [
        { short: 'o', long: ['output'], because: 'writes its output to a file', value: true },
        {
          short: 'T',
          long: ['temporary-directory'],
          because: 'writes temporary files where it is told',
          value: true,
        },
        { long: ['compress-program'], because: 'runs a program', value: true },
      ],
    }),
  ],
  [
    'uniq',
    programRule({
      summary: 'uniq with at most one file (a second one is written)',
      globs: 'never',
      options: optionTable(
        'cdDf:is:uzw:',
        'count repeated all-repeated? skip-fields= skip-chars= unique zero-terminated check-chars= ignore-case group? help version',
      ),
      check: (parsed, program) =>
        atMostOperands(parsed, program, 1, 'file (the second is written)'),
    }),
  ],
]);
