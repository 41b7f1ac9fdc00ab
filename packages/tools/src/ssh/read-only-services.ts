import { quoteForReason, type CommandArgument } from './command-words.js';
import { optionTable } from './option-table.js';
import { checkGlobs, programRule, type ProgramRule } from './read-only-rule.js';

/** systemctl verbs that only show state. */
const SYSTEMCTL_READ_VERBS = new Set([
  'status',
  'show',
  'cat',
  'is-active',
  'is-enabled',
  'is-failed',
  'is-system-running',
  'list-units',
  'list-unit-files',
  'list-timers',
  'list-sockets',
  'list-dependencies',
  'list-jobs',
]);

const systemctl = programRule({
  summary: `systemctl ${[...SYSTEMCTL_READ_VERBS].join('|')} with display options only (no -H/-M)`,
  globs: 'paths',
  options: optionTable(
    'alqrt:p:P:n:o:',
    'all full no-pager no-legend quiet plain user system recursive reverse after before failed show-types value type= property= state= lines= output= help version',
  ),
  deny: [{ short: 'HM', long: ['host', 'machine'], because: 'reaches another machine' }],
  check: (parsed, program) => {
    const verb = parsed.operands[0]?.value ?? 'list-units';
    return SYSTEMCTL_READ_VERBS.has(verb)
      ? []
      : [`${program} ${quoteForReason(verb)} is not a read-only systemctl command`];
  },
});

/** `service NAME status` or `service --status-all`: the only read-only forms. */
const service: ProgramRule = {
  summary: 'service NAME status, service --status-all',
  judge: (program, args) => {
    const words = args.map((arg) => arg.value);
    // The name picks /etc/init.d/NAME, which service runs: a plain unit name, no path.
    const statusOfOne =
      words.length === 2 &&
      words[1] === 'status' &&
      /^[A-Za-z0-9@_][A-Za-z0-9@._:-]*$/.test(words[0] ?? '') &&
      !(words[0] ?? '').includes('..');
    const statusOfAll = words.length === 1 && words[0] === '--status-all';
    if (checkGlobs(program, args, 'never').length > 0 || !(statusOfOne || statusOfAll)) {
      return [`${program} ${quoteForReason(words.join(' '))} is not "service NAME status"`];
    }
    return [];
  },
};

const journalctlOptions = programRule({
  summary:
    'journalctl reading the journal: no -f/--follow, --vacuum-*, --rotate, --flush, --sync, --cursor-file, pager',
  globs: 'paths',
  options: optionTable(
    'ab::c:D:F:g:hklmn::No:p:qrS:t:u:U:xM:',
    'all boot? cursor= after-cursor= show-cursor directory= file= field= fields grep= case-sensitive? dmesg full no-full merge lines? no-tail output= output-fields= priority= facility= quiet reverse since= until= identifier= unit= user-unit= catalog machine= no-pager no-hostname utc system user header disk-usage list-boots list-catalog dump-catalog verify help version',
  ),
  deny: [
    { short: 'f', long: ['follow'], because: 'follows the journal and never ends' },
    { short: 'e', long: ['pager-end'], because: 'starts a pager' },
    { long: ['vacuum-size', 'vacuum-time', 'vacuum-files'], because: 'deletes journal files' },
    {
      long: ['rotate', 'flush', 'sync', 'relinquish-var', 'smart-relinquish-var'],
      because: 'makes the journal daemon write or move its files',
    },
    { long: ['setup-keys', 'update-catalog'], because: 'writes a file' },
    { long: ['cursor-file'], because: 'writes a file', value: true },
  ],
});

/** A value journalctl takes from the next word after a bare `-b`/`--boot` or `-n`/`--lines`. */
const JOURNALCTL_LOOKAHEAD: Readonly<Record<string, RegExp>> = {
  '-b': /^(?:[+-]?[0-9]+|[0-9a-fA-F]{32}(?:[+-][0-9]+)?|all)$/,
  '--boot': /^(?:[+-]?[0-9]+|[0-9a-fA-F]{32}(?:[+-][0-9]+)?|all)$/,
  '-n': /^(?:\+?[0-9]+|all)$/,
  '--lines': /^(?:\+?[0-9]+|all)$/,
};

/**
 * journalctl reads `-b -1` and `-n 50` as options with values, though getopt gives them
 * optional values: it looks at the next word itself. The same look-ahead is done here
 * (the word is attached: `-b-1`), then the options are judged by the table.
 */
const journalctl: ProgramRule = {
  summary: journalctlOptions.summary,
  judge: (program, args, context) => {
    const joined: CommandArgument[] = [];
    for (let index = 0; index < args.length; index += 1) {
      const argument = args[index] as CommandArgument;
      const next = args[index + 1];
      const lookahead = JOURNALCTL_LOOKAHEAD[argument.value];
      if (lookahead !== undefined && next !== undefined && lookahead.test(next.value)) {
        const glue = argument.value.startsWith('--') ? '=' : '';
        joined.push({ ...argument, value: `${argument.value}${glue}${next.value}` });
        index += 1;
      } else {
        joined.push(argument);
      }
    }
    return journalctlOptions.judge(program, joined, context);
  },
};

/**
 * Rules for service managers and the journal, by program name.
 *
 * @example
 * ```ts
 * SERVICE_RULES.get('systemctl')?.judge('systemctl', args, context); // for `systemctl restart x`: ['systemctl "restart" is not a read-only systemctl command']
 * ```
 */
export const SERVICE_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ['systemctl', systemctl],
  ['service', service],
  ['journalctl', journalctl],
]);
