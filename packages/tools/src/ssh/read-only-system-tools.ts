import type { ParsedArguments } from './command-options.js';
import { quoteForReason } from './command-words.js';
import { hasOption, optionValue, programRule, type ProgramRule } from './read-only-rule.js';

const plainReaders = (summary: string): ProgramRule => programRule({ summary, globs: 'anywhere' });

/** `vmstat 5` samples until interrupted; `vmstat 5 3` stops. Interval and count are numbers. */
const finiteSampling = (parsed: ParsedArguments, program: string): string[] => {
  const numbers = parsed.operands.filter((operand) => /^[0-9]+$/.test(operand.value));
  return numbers.length === 1 ? [`${program} with an interval but no count never ends`] : [];
};

const PING_MAX_COUNT = 100;

/**
 * Rules for programs that inspect processes, the network and the system, by name.
 *
 * @example
 * ```ts
 * SYSTEM_TOOL_RULES.get('date')?.judge('date', args); // for `date -s 12:00`: ['date -s sets the clock']
 * ```
 */
export const SYSTEM_TOOL_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ['ps', plainReaders('ps: any option')],
  ['pgrep', programRule({ summary: 'pgrep: any option', globs: 'paths' })],
  ['pidof', plainReaders('pidof: any option')],
  ['id', plainReaders('id: any option')],
  ['whoami', plainReaders('whoami')],
  ['uname', plainReaders('uname: any option')],
  ['uptime', plainReaders('uptime: any option')],
  ['nproc', plainReaders('nproc: any option')],
  ['lscpu', plainReaders('lscpu: any option')],
  ['lsmem', plainReaders('lsmem: any option')],
  ['lspci', plainReaders('lspci: any option')],
  ['lsusb', plainReaders('lsusb: any option')],
  ['lsblk', plainReaders('lsblk: any option')],
  ['blkid', plainReaders('blkid: any option')],
  ['last', plainReaders('last: any option')],
  ['w', plainReaders('w: any option')],
  ['who', plainReaders('who: any option')],
  ['getent', plainReaders('getent: any option')],
  ['dig', plainReaders('dig: any option')],
  ['host', plainReaders('host: any option')],
  ['nslookup', plainReaders('nslookup: any option')],
  [
    'printenv',
    plainReaders('printenv: any option (shows the environment, which may hold secrets)'),
  ],
  [
    'top',
    programRule({
      summary: 'top only in batch mode with a count: -b -n N',
      globs: 'never',
      syntax: { valueShort: 'dnopuUEe', optionalValueShort: 'w' },
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
      syntax: { valueShort: 'sc', valueLong: ['seconds', 'count'] },
      deny: [{ short: 's', long: ['seconds'], because: 'repeats until interrupted' }],
    }),
  ],
  [
    'vmstat',
    programRule({
      summary: 'vmstat with a count when it has an interval',
      globs: 'never',
      syntax: { valueShort: 'Sp' },
      check: finiteSampling,
    }),
  ],
  [
    'iostat',
    programRule({
      summary: 'iostat with a count when it has an interval',
      globs: 'never',
      syntax: { valueShort: 'ogj' },
      check: finiteSampling,
    }),
  ],
  [
    'mpstat',
    programRule({
      summary: 'mpstat with a count when it has an interval',
      globs: 'never',
      syntax: { valueShort: 'oPIN' },
      check: finiteSampling,
    }),
  ],
  [
    'sar',
    programRule({
      summary: 'sar without -o (saves to a file), with a count when it has an interval',
      globs: 'never',
      syntax: { valueShort: 'fioPInm' },
      deny: [{ short: 'o', because: 'saves the samples to a file' }],
      check: finiteSampling,
    }),
  ],
  [
    'lsof',
    programRule({
      summary: 'lsof without -r/+r (repeat mode) or -D (device cache), no "+" options but +D/+d',
      globs: 'paths',
      deny: [
        { short: 'r', because: 'repeats until interrupted' },
        { short: 'D', because: 'may write a device cache file' },
      ],
      check: (parsed, program) =>
        parsed.operands
          .filter((operand) => operand.value.startsWith('+') && !/^\+[dD]$/.test(operand.value))
          .map(
            (operand) =>
              `${program} option ${quoteForReason(operand.value)} is not on the read-only list`,
          ),
    }),
  ],
  [
    'ss',
    programRule({
      summary: 'ss without -K/--kill, -E/--events or -D/--diag',
      globs: 'paths',
      syntax: { valueShort: 'fAFND' },
      deny: [
        { short: 'K', long: ['kill'], because: 'closes sockets' },
        { short: 'E', long: ['events'], because: 'follows events and never ends' },
        { short: 'D', long: ['diag'], because: 'writes raw data to a file' },
      ],
    }),
  ],
  [
    'netstat',
    programRule({
      summary: 'netstat without -c/--continuous',
      globs: 'paths',
      deny: [{ short: 'c', long: ['continuous'], because: 'repeats until interrupted' }],
    }),
  ],
  [
    'ping',
    programRule({
      summary: `ping -c N (1..${PING_MAX_COUNT}) to one host, with -W, -w, -i, -q, -n, -4, -6, -s, -t, -D, -O, -v`,
      globs: 'never',
      syntax: { valueShort: 'cWwist' },
      allow: { short: 'cWwiqn46stDOv' },
      check: (parsed, program) => {
        const count = Number(optionValue(parsed, 'c') ?? Number.NaN);
        const reasons =
          Number.isInteger(count) && count >= 1 && count <= PING_MAX_COUNT
            ? []
            : [`${program} needs -c N with N from 1 to ${PING_MAX_COUNT}, or it never ends`];
        if (parsed.operands.length !== 1) reasons.push(`${program} needs exactly one host`);
        return reasons;
      },
    }),
  ],
  [
    'hostname',
    programRule({
      summary: 'hostname showing names or addresses (-f, -s, -d, -i, -I, -A, -a), no operand',
      globs: 'never',
      allow: {
        short: 'fsdiIAa',
        long: [
          'fqdn',
          'long',
          'short',
          'domain',
          'ip-address',
          'all-ip-addresses',
          'all-fqdns',
          'alias',
        ],
      },
      check: (parsed, program) =>
        parsed.operands.length > 0 ? [`${program} NAME sets the host name`] : [],
    }),
  ],
  [
    'date',
    programRule({
      summary: 'date showing a time: -u, -R, -I, -d, -r and a +FORMAT, never -s/--set',
      globs: 'never',
      syntax: { valueShort: 'dr', optionalValueShort: 'I', valueLong: ['date', 'reference'] },
      deny: [{ short: 's', long: ['set'], because: 'sets the clock' }],
      allow: {
        short: 'uRIdr',
        long: [
          'utc',
          'universal',
          'rfc-2822',
          'rfc-email',
          'rfc-3339',
          'iso-8601',
          'date',
          'reference',
          'debug',
        ],
      },
      check: (parsed, program) =>
        parsed.operands
          .filter((operand) => !operand.value.startsWith('+'))
          .map((operand) => `${program} ${quoteForReason(operand.value)} sets the clock`),
    }),
  ],
  [
    'dmesg',
    programRule({
      summary: 'dmesg without -c/-C (clear), -D/-E (console), -n (level), -w/-W (follow)',
      globs: 'paths',
      syntax: { valueShort: 'Fflns', optionalValueShort: 'L' },
      deny: [
        { short: 'cC', long: ['clear', 'read-clear'], because: 'clears the kernel ring buffer' },
        {
          short: 'DEn',
          long: ['console-off', 'console-on', 'console-level'],
          because: 'changes console logging',
        },
        {
          short: 'wW',
          long: ['follow', 'follow-new'],
          because: 'follows the kernel log and never ends',
        },
      ],
    }),
  ],
  [
    'mount',
    programRule({
      summary: 'mount listing only: no operand, only -l',
      globs: 'never',
      allow: { short: 'l' },
      check: (parsed, program) =>
        parsed.operands.length > 0 ? [`${program} with operands mounts a file system`] : [],
    }),
  ],
  [
    'findmnt',
    programRule({
      summary: 'findmnt without -p/--poll',
      globs: 'paths',
      deny: [{ short: 'p', long: ['poll'], because: 'follows mount changes and never ends' }],
    }),
  ],
]);
