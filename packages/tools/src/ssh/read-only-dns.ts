import { quoteForReason, type CommandArgument } from './command-words.js';
import type { PolicyContext } from './network-allowlist.js';
import { optionTable } from './option-table.js';
import { checkGlobs, programRule, type ProgramRule } from './read-only-rule.js';
import { hasFiniteCount, PING_MAX_COUNT } from './read-only-system-tools.js';

/** The reason when `name` may not be looked up or reached: a DNS name carries data too. */
function destination(
  program: string,
  name: string,
  context: PolicyContext,
  what: string,
): string[] {
  return context.network.allowsHost(name)
    ? []
    : [`${program} ${what} ${quoteForReason(name)}, which is not on the network_allowlist`];
}

/** DNS record types and classes, which dig reads as operands beside names. */
const DNS_TYPES = new Set(
  'A AAAA ANY CAA CNAME DNSKEY DS HINFO HTTPS MX NAPTR NS NSEC NSEC3 PTR RRSIG SOA SPF SRV SSHFP SVCB TLSA TXT IN CH HS'.split(
    ' ',
  ),
);
/** dig `+options` that only change what is shown or how the query is sent. */
const DIG_PLUS =
  /^\+(?:no)?(?:short|all|answer|authority|additional|question|stats|comments|cmd|multiline|tcp|vc|recurse|dnssec|identify|ttlid|ttlunits|class|rrcomments|search|trace|nssearch)$|^\+(?:time|tries|retry|ndots|bufsize)=[0-9]+$/;
/** dig dash options: flags, and those followed by a value (attached or next). */
const DIG_FLAGS = new Set(['-4', '-6', '-m', '-r', '-u', '-h', '-v']);
const DIG_VALUES = new Set(['-t', '-c', '-p', '-q', '-x']);

function judgeDig(
  program: string,
  args: readonly CommandArgument[],
  context: PolicyContext,
): string[] {
  const reasons = checkGlobs(program, args, 'never');
  for (let index = 0; index < args.length; index += 1) {
    const word = (args[index] as CommandArgument).value;
    if (word.startsWith('@')) {
      reasons.push(...destination(program, word.slice(1), context, 'asks the server'));
    } else if (word.startsWith('+')) {
      if (!DIG_PLUS.test(word))
        reasons.push(`${program} option ${quoteForReason(word)} is not on the read-only list`);
    } else if (DIG_FLAGS.has(word)) {
      continue;
    } else if (word.startsWith('-')) {
      const flag = word.slice(0, 2);
      if (!DIG_VALUES.has(flag)) {
        const what =
          flag === '-f'
            ? 'reads queries from a file'
            : flag === '-k' || flag === '-y'
              ? 'reads a key'
              : 'is not on the read-only list';
        reasons.push(`${program} option ${quoteForReason(flag)} ${what}`);
        continue;
      }
      const value = word.length > 2 ? word.slice(2) : (args[++index]?.value ?? '');
      if (flag === '-q' || flag === '-x')
        reasons.push(...destination(program, value, context, 'looks up'));
    } else if (!DNS_TYPES.has(word.toUpperCase())) {
      reasons.push(...destination(program, word, context, 'looks up'));
    }
  }
  return reasons;
}

const dig: ProgramRule = {
  summary: 'dig: display +options; every name and @server on the network_allowlist; no -f/-k/-y',
  judge: judgeDig,
};

const host = programRule({
  summary: 'host NAME [SERVER], both on the network_allowlist',
  globs: 'never',
  options: optionTable('aACdlnrsTUvVw46c:N:R:t:W:m:'),
  check: (parsed, program, context) => {
    const [name, server, ...extra] = parsed.operands.map((operand) => operand.value);
    if (name === undefined) return [`${program} without a name`];
    return [
      ...destination(program, name, context, 'looks up'),
      ...(server === undefined ? [] : destination(program, server, context, 'asks the server')),
      ...(extra.length > 0 ? [`${program} takes a name and a server only`] : []),
    ];
  },
});

const NSLOOKUP_OPTION =
  /^-(?:(?:no)?(?:debug|d2|recurse|search|vc|fail)|(?:type|query|q|class|port|timeout|retry|ndots)=[A-Za-z0-9]+)$/;

const nslookup: ProgramRule = {
  summary: 'nslookup [-type=T...] NAME [SERVER], both on the network_allowlist (never interactive)',
  judge: (program, args, context) => {
    const reasons = checkGlobs(program, args, 'never');
    const operands: string[] = [];
    for (const { value } of args) {
      if (value.startsWith('-') && value !== '-') {
        if (!NSLOOKUP_OPTION.test(value))
          reasons.push(`${program} option ${quoteForReason(value)} is not on the read-only list`);
      } else operands.push(value);
    }
    const [name, server, ...extra] = operands;
    if (name === undefined || name === '-')
      return [...reasons, `${program} without a name reads queries from standard input`];
    reasons.push(...destination(program, name, context, 'looks up'));
    if (server !== undefined)
      reasons.push(...destination(program, server, context, 'asks the server'));
    if (extra.length > 0) reasons.push(`${program} takes a name and a server only`);
    return reasons;
  },
};

const ping = programRule({
  summary: `ping -c N (1..${PING_MAX_COUNT}) to one host on the network_allowlist, never -p (payload)`,
  globs: 'never',
  options: optionTable('c:W:w:i:qn46s:t:DOv'),
  deny: [{ short: 'p', because: 'puts chosen bytes in every packet' }],
  check: (parsed, program, context) => {
    const reasons = hasFiniteCount(parsed)
      ? []
      : [`${program} needs -c N with N from 1 to ${PING_MAX_COUNT}, or it never ends`];
    const [target, ...extra] = parsed.operands;
    if (target === undefined || extra.length > 0) reasons.push(`${program} needs exactly one host`);
    else reasons.push(...destination(program, target.value, context, 'sends packets to'));
    return reasons;
  },
});

/** getent databases; those that resolve names over DNS need allowlisted keys. */
const GETENT_DATABASES = new Set([
  'passwd',
  'group',
  'shadow',
  'gshadow',
  'services',
  'protocols',
  'rpc',
  'ethers',
  'aliases',
  'netgroup',
  'initgroups',
  'hosts',
  'ahosts',
  'ahostsv4',
  'ahostsv6',
  'networks',
]);
const GETENT_RESOLVING = new Set(['hosts', 'ahosts', 'ahostsv4', 'ahostsv6', 'networks']);

const getent = programRule({
  summary: 'getent DATABASE [KEY...]; host and network keys on the network_allowlist',
  globs: 'never',
  options: optionTable('s:i', 'service= no-idn help version'),
  check: (parsed, program, context) => {
    const [database, ...keys] = parsed.operands.map((operand) => operand.value);
    if (database === undefined || !GETENT_DATABASES.has(database)) {
      return [`${program} database ${quoteForReason(database ?? '')} is not on the read-only list`];
    }
    if (!GETENT_RESOLVING.has(database)) return [];
    return keys.flatMap((key) => destination(program, key, context, 'looks up'));
  },
});

/**
 * Rules for clients that send a name or packets to the network (DNS lookups, ping): each
 * destination, queried name included (it reaches the name's DNS servers), must be on the
 * instance's network_allowlist.
 *
 * @example
 * ```ts
 * DNS_RULES.get('ping')?.judge('ping', args, context); // for `ping -c 1 -p 41 h`: ['ping -p puts chosen bytes in every packet', ...]
 * ```
 */
export const DNS_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ['dig', dig],
  ['host', host],
  ['nslookup', nslookup],
  ['ping', ping],
  ['getent', getent],
]);
