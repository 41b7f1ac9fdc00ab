import { quoteForReason } from './command-words.js';
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
  summary: `systemctl ${[...SYSTEMCTL_READ_VERBS].join('|')} with display options only`,
  globs: 'paths',
  syntax: { valueShort: 'tpPno', valueLong: ['type', 'property', 'state', 'lines', 'output'] },
  allow: {
    short: 'alqrtpPno',
    long: [
      'all',
      'full',
      'no-pager',
      'no-legend',
      'quiet',
      'plain',
      'user',
      'system',
      'recursive',
      'reverse',
      'after',
      'before',
      'failed',
      'show-types',
      'value',
      'type',
      'property',
      'state',
      'lines',
      'output',
    ],
  },
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
    const statusOfOne = words.length === 2 && words[1] === 'status' && !words[0]?.startsWith('-');
    const statusOfAll = words.length === 1 && words[0] === '--status-all';
    if (checkGlobs(program, args, 'never').length > 0 || !(statusOfOne || statusOfAll)) {
      return [`${program} ${quoteForReason(words.join(' '))} is not "service NAME status"`];
    }
    return [];
  },
};

const journalctl = programRule({
  summary:
    'journalctl without -f/--follow, --vacuum-*, --rotate, --flush, --sync, --cursor-file...',
  globs: 'paths',
  syntax: {
    valueShort: 'cpgoDSUtuTFM',
    optionalValueShort: 'nb',
    valueLong: ['unit', 'user-unit', 'since', 'until', 'priority', 'output', 'identifier', 'grep'],
  },
  deny: [
    { short: 'f', long: ['follow'], because: 'follows the journal and never ends' },
    {
      long: ['vacuum-size', 'vacuum-time', 'vacuum-files'],
      because: 'deletes journal files',
    },
    {
      long: ['rotate', 'flush', 'sync', 'relinquish-var', 'smart-relinquish-var'],
      because: 'makes the journal daemon write or move its files',
    },
    { long: ['setup-keys', 'update-catalog', 'cursor-file'], because: 'writes a file' },
  ],
});

/**
 * Rules for service managers and the journal, by program name.
 *
 * @example
 * ```ts
 * SERVICE_RULES.get('systemctl')?.judge('systemctl', args); // for `systemctl restart x`: ['systemctl "restart" is not a read-only systemctl command']
 * ```
 */
export const SERVICE_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ['systemctl', systemctl],
  ['service', service],
  ['journalctl', journalctl],
]);
