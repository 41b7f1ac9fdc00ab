import { quoteForReason } from './command-words.js';
import { optionTable, type OptionTable, type TableParse } from './option-table.js';
import { optionValue, programRule, type ProgramRule } from './read-only-rule.js';

/**
 * A program none of whose options (in its table or not) writes, runs code, reaches the
 * network or never ends, so a glob may expand anywhere, even to an option.
 */
const reader = (summary: string, options: OptionTable): ProgramRule =>
  programRule({ summary, globs: 'anywhere', options });

/**
 * Rules for programs that show the host, its users, devices, clock and mounts, by name;
 * each has its complete option table.
 *
 * @example
 * ```ts
 * SYSTEM_TOOL_RULES.get('date')?.judge('date', args, context); // for `date -s 12:00`: ['date -s sets the clock']
 * ```
 */
export const SYSTEM_TOOL_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  [
    'id',
    reader(
      'id: display options',
      optionTable('aZgGnruz', 'context group groups name real user zero help version'),
    ),
  ],
  ['whoami', reader('whoami', optionTable('', 'help version'))],
  [
    'uname',
    reader(
      'uname: display options',
      optionTable(
        'asnrvmpio',
        'all kernel-name nodename kernel-release kernel-version machine processor hardware-platform operating-system help version',
      ),
    ),
  ],
  ['uptime', reader('uptime: -p, -s', optionTable('psV', 'pretty since help'))],
  ['nproc', reader('nproc: --all, --ignore', optionTable('', 'all ignore= help version'))],
  [
    'lscpu',
    reader(
      'lscpu: display options',
      optionTable(
        'abcJxyBe::p::C::s:',
        'all online offline json extended? parse? sysroot= hex physical bytes output-all caches? hierarchic? help version',
      ),
    ),
  ],
  [
    'lsmem',
    reader(
      'lsmem: display options',
      optionTable(
        'abJno:PrsS:',
        'all bytes json noheadings output= output-all pairs raw sysroot= split= summary? help version',
      ),
    ),
  ],
  [
    'lspci',
    programRule({
      summary: 'lspci: display options, no -q/-Q (DNS queries)',
      globs: 'paths',
      options: optionTable('mtvnkxbDPs:d:i:p:A:O:F:'),
      deny: [{ short: 'qQ', because: 'queries a DNS database over the network' }],
    }),
  ],
  ['lsusb', reader('lsusb: display options', optionTable('vts:d:D:', 'verbose tree help version'))],
  [
    'lsblk',
    reader(
      'lsblk: display options',
      optionTable(
        'abdDEfiJlmMnOpPrsStTzAe:I:o:x:Q:',
        'all bytes nodeps discard dedup= exclude= fs include= ascii json list perms merge noheadings output= output-all paths pairs raw inverse topology scsi sort= tree? width= zoned nvme virtio filter= highlight= sysroot= help version',
      ),
    ),
  ],
  [
    'blkid',
    programRule({
      summary: 'blkid: probing options, no -c (cache file) or -g',
      globs: 'paths',
      options: optionTable('dhiklL:U:o:ps:t:uS:O:n:'),
      deny: [{ short: 'cg', because: 'writes or cleans the blkid cache' }],
    }),
  ],
  [
    'last',
    reader(
      'last: display options',
      optionTable(
        'adFiRwxf:n:s:t:p:T0123456789',
        'hostlast dns file= fulltimes ip limit= nohostname since= until= present= fullnames system time-format= help version',
      ),
    ),
  ],
  [
    'w',
    reader(
      'w: display options',
      optionTable(
        'hiusfopn',
        'no-header ip-addr no-current short from old-style pids container help version',
      ),
    ),
  ],
  [
    'who',
    programRule({
      summary: 'who: display options (no --lookup)',
      globs: 'paths',
      options: optionTable(
        'abdHmpqrsTtuw',
        'all boot dead heading login mesg message writable process count runlevel short time users help version',
      ),
    }),
  ],
  [
    'printenv',
    reader(
      'printenv: shows the environment, which may hold secrets',
      optionTable('0', 'null help version'),
    ),
  ],
  [
    'hostname',
    programRule({
      summary: 'hostname showing names or addresses (-f, -s, -d, -i, -I, -A, -a), no operand',
      globs: 'never',
      options: optionTable(
        'fsdiIAa',
        'fqdn long short domain ip-address all-ip-addresses all-fqdns alias',
      ),
      deny: [
        {
          short: 'bFy',
          long: ['boot', 'file', 'yp', 'nis'],
          because: 'sets the host or NIS domain name',
        },
      ],
      check: (parsed, program) =>
        parsed.operands.length > 0 ? [`${program} NAME sets the host name`] : [],
    }),
  ],
  [
    'date',
    programRule({
      summary: 'date showing a time: -u, -R, -I, -d, -r and a +FORMAT, never -s/--set',
      globs: 'never',
      options: optionTable(
        'uRI::d:r:',
        'utc universal rfc-2822 rfc-email rfc-3339= iso-8601? date= reference= debug help version',
      ),
      deny: [
        { short: 's', long: ['set'], because: 'sets the clock', value: true },
        { short: 'f', long: ['file'], because: 'reads dates from a file' },
      ],
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
      options: optionTable(
        'dF:f:HJkL::l:Pprs:STtux',
        'color? decode file= facility= force-prefix human json kernel level= nopager noescape raw show-delta reltime since= syslog time-format= until= userspace ctime notime buffer-size= help version',
      ),
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
      options: optionTable('l'),
      check: (parsed, program) =>
        parsed.operands.length > 0 ? [`${program} with operands mounts a file system`] : [],
    }),
  ],
  [
    'findmnt',
    programRule({
      summary: 'findmnt without -p/--poll',
      globs: 'paths',
      options: optionTable(
        'AbcDd:eF:fiJklM:nN:O:o:PrRS:sT:t:Uuvx',
        'all ascii bytes canonicalize df direction= evaluate tab-file= first-only invert json list kernel mountpoint= task= noheadings options= output= output-all pairs raw types= nofsroot submounts source= target= notruncate verify verbose real pseudo fstab mtab shadow uniq help version',
      ),
      deny: [
        { short: 'pw', long: ['poll', 'timeout'], because: 'follows mount changes and never ends' },
      ],
    }),
  ],
]);

/** The count a ping must have, at most. */
export const PING_MAX_COUNT = 100;

/** True when ping's count is a number from 1 to {@link PING_MAX_COUNT}. */
export function hasFiniteCount(parsed: TableParse): boolean {
  const count = Number(optionValue(parsed, 'c') ?? Number.NaN);
  return Number.isInteger(count) && count >= 1 && count <= PING_MAX_COUNT;
}
