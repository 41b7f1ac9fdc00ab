import { quoteForReason, type CommandArgument } from './command-words.js';
import { optionTable, type OptionTable, type TableParse } from './option-table.js';
import { hasOption, programRule, type ProgramRule } from './read-only-rule.js';

/**
 * A program none of whose options (in its table or not) writes, runs code, reaches the
 * network or never ends, so a glob may expand anywhere, even to an option.
 */
const reader = (summary: string, options: OptionTable): ProgramRule =>
  programRule({ summary, globs: 'anywhere', options });

/** `vmstat 5` samples until interrupted; `vmstat 5 3` stops. Interval and count are numbers. */
const finiteSampling = (parsed: TableParse, program: string): string[] => {
  const numbers = parsed.operands.filter((operand) => /^[0-9]+$/.test(operand.value));
  return numbers.length === 1 ? [`${program} with an interval but no count never ends`] : [];
};

/** BSD-style ps words (`aux`): letters that take no value. */
const PS_BSD_WORD = /^[aAcCeEfghHjlLmMnrsSTuvVwxXZ]+$/;

/**
 * ps: UNIX options from its table, BSD words of value-less letters (`aux`), and process
 * ids. ps never writes; the table keeps it to what is known.
 *
 * @example
 * ```ts
 * PS_RULE.judge('ps', args, context); // for `ps aux`: []
 * ```
 */
export const PS_RULE: ProgramRule = programRule({
  summary: 'ps: selection and format options, BSD words like aux',
  globs: 'never',
  options: optionTable(
    'AaCcdeFfHjlLMNTwxyZG:g:o:O:p:q:s:t:u:U:k:',
    'forest headers no-headers sort= format= cols= columns= width= lines= rows= pid= ppid= user= group= User= Group= tty= sid= quick-pid= info context cumulative deselect signames help? version',
  ),
  check: (parsed, program) =>
    parsed.operands
      .filter((operand) => !PS_BSD_WORD.test(operand.value) && !/^[0-9]+$/.test(operand.value))
      .map(
        (operand) =>
          `${program} word ${quoteForReason(operand.value)} is not on the read-only list`,
      ),
});

/** lsof option letters, after `-` or `+`, that take a value (the rest of the word or the next). */
const LSOF_VALUE_LETTERS = 'cdDefFgiklLmMpsStTuxzZ';
/** Letters accepted after `-`, and after `+`. `-D` (device cache), `-r`/`+r` (repeat) and `M` (portmapper) are not. */
const LSOF_MINUS = 'abcdefFgiklLnNoOPpRsStTuUvVwxXhKQzZ';
const LSOF_PLUS = 'cdDLEfe';

function judgeLsof(program: string, args: readonly CommandArgument[]): string[] {
  const reasons: string[] = [];
  for (const argument of args) {
    const word = argument.value;
    if (argument.glob && argument.mayExpandToOption) {
      reasons.push(`glob ${quoteForReason(word)} could expand to an option of ${program}`);
      continue;
    }
    if (word === '--') break;
    if (word.length < 2 || (!word.startsWith('-') && !word.startsWith('+'))) continue;
    const allowed = word.startsWith('-') ? LSOF_MINUS : LSOF_PLUS;
    for (const letter of word.slice(1)) {
      if (!allowed.includes(letter)) {
        const what =
          letter === 'r'
            ? 'repeats until interrupted'
            : letter === 'D'
              ? 'may write a device cache file'
              : 'is not on the read-only list';
        reasons.push(`${program} option ${quoteForReason(`${word.charAt(0)}${letter}`)} ${what}`);
        break;
      }
      if (LSOF_VALUE_LETTERS.includes(letter)) break;
    }
  }
  return reasons;
}

/**
 * lsof: every word that starts with `-` or `+` is read as options, letter by letter,
 * wherever it stands (lsof's own option reader decides which words are values, so the
 * policy checks them all). No `-D`, `-r`/`+r` or `+|-M`.
 *
 * @example
 * ```ts
 * LSOF_RULE.judge('lsof', args, context); // for `lsof -r 1`: ['lsof option "-r" repeats until interrupted']
 * ```
 */
export const LSOF_RULE: ProgramRule = {
  summary: 'lsof without -r/+r (repeat mode), -D (device cache) or +|-M (portmapper)',
  judge: judgeLsof,
};

/**
 * Rules for programs that show processes, sockets and resource use, by name: none may
 * repeat forever, signal or write.
 *
 * @example
 * ```ts
 * PROCESS_TOOL_RULES.get('vmstat')?.judge('vmstat', args, context); // for `vmstat 1`: ['vmstat with an interval but no count never ends']
 * ```
 */
export const PROCESS_TOOL_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ['ps', PS_RULE],
  ['lsof', LSOF_RULE],
  [
    'pgrep',
    programRule({
      summary: 'pgrep: matching options',
      globs: 'paths',
      options: optionTable(
        'acd:F:fg:G:ilLnoO:P:s:t:u:U:vwxr:A',
        'count delimiter= list-name list-full inverse lightweight full pgroup= group= ns= nslist= newest oldest older= parent= session= terminal= euid= uid= exact pidfile= runstates= env= cgroup= ignore-ancestors help version',
      ),
    }),
  ],
  ['pidof', reader('pidof: matching options', optionTable('scxzqwo:S:'))],
  [
    'top',
    programRule({
      summary: 'top only in batch mode with a count: -b -n N',
      globs: 'never',
      options: optionTable('bcd:E:e:Hin:o:O:p:Ssu:U:w::1', 'help version'),
      check: (parsed, program) =>
        hasOption(parsed, 'b') && hasOption(parsed, 'n')
          ? []
          : [`${program} without -b -n N is interactive and never ends`],
    }),
  ],
  [
    'free',
    programRule({
      summary: 'free without -s/--seconds (repeats until interrupted)',
      globs: 'never',
      options: optionTable(
        'bkmghltvw',
        'bytes kilo mega giga tera peta kibi mebi gibi tebi pebi human si lohi total committed wide help version',
      ),
      deny: [{ short: 'sc', long: ['seconds', 'count'], because: 'repeats until interrupted' }],
    }),
  ],
  [
    'vmstat',
    programRule({
      summary: 'vmstat with a count when it has an interval',
      globs: 'never',
      options: optionTable(
        'adDfmnstwp:S:',
        'active forks slabs stats disk disk-sum partition= unit= timestamp wide one-header no-first help version',
      ),
      check: finiteSampling,
    }),
  ],
  [
    'iostat',
    programRule({
      summary: 'iostat with a count when it has an interval (no -p)',
      globs: 'never',
      options: optionTable('cdhkmNstxyzHg:j:o:', 'human pretty compact dec='),
      check: finiteSampling,
    }),
  ],
  [
    'mpstat',
    programRule({
      summary: 'mpstat with a count when it has an interval',
      globs: 'never',
      options: optionTable('AHnTuI:N:o:P:', 'dec='),
      check: finiteSampling,
    }),
  ],
  [
    'sar',
    programRule({
      summary: 'sar without -o (saves to a file), with a count when it has an interval',
      globs: 'never',
      options: optionTable(
        'ABbCdFhHqrRSuvWwyze:f:i:I:m:n:P:s:',
        'human pretty dec= iface= int= fs= dev=',
      ),
      deny: [{ short: 'o', because: 'saves the samples to a file' }],
      check: finiteSampling,
    }),
  ],
  [
    'ss',
    programRule({
      summary: 'ss without -K/--kill, -E/--events or -D/--diag',
      globs: 'paths',
      options: optionTable(
        'HOnralpoemiTsZzb460tSudwxMN:f:A:F:',
        'no-header oneline numeric resolve all listening options extended memory processes threads info tos cgroup tipcinfo summary bpf context contexts net= ipv4 ipv6 packet tcp sctp udp dccp raw unix mptcp xdp vsock tipc family= query= socket= filter= help version',
      ),
      deny: [
        { short: 'K', long: ['kill'], because: 'closes sockets' },
        { short: 'E', long: ['events'], because: 'follows events and never ends' },
        { short: 'D', long: ['diag'], because: 'writes raw data to a file', value: true },
      ],
    }),
  ],
  [
    'netstat',
    programRule({
      summary: 'netstat without -c/--continuous',
      globs: 'paths',
      options: optionTable(
        'aAeFgilMnNoprstuvwWxZ46',
        'route groups interfaces masquerade statistics verbose wide numeric numeric-hosts numeric-ports numeric-users symbolic extend programs timers listening all inet inet6 unix tcp udp raw udplite fib cache protocol=',
      ),
      deny: [{ short: 'c', long: ['continuous'], because: 'repeats until interrupted' }],
    }),
  ],
]);
