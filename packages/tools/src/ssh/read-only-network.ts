import { quoteForReason, type CommandArgument } from './command-words.js';
import { DNS_RULES } from './read-only-dns.js';
import { optionTable } from './option-table.js';
import { checkGlobs, programRule, type ProgramRule } from './read-only-rule.js';

/**
 * `ip` global options that only change how output looks. They are matched exactly: `ip`
 * itself takes prefixes (`-b` is `-batch`, which reads commands from a file).
 */
const IP_DISPLAY_OPTIONS = new Set([
  '-4',
  '-6',
  '-s',
  '-stats',
  '-statistics',
  '-d',
  '-details',
  '-br',
  '-brief',
  '-j',
  '-json',
  '-p',
  '-pretty',
  '-o',
  '-oneline',
  '-c',
  '-color',
  '-human',
  '-iec',
]);

/** Object words as `ip` resolves them (first match in its table), to the object. */
const IP_OBJECTS = new Map([
  ['a', 'address'],
  ['addr', 'address'],
  ['address', 'address'],
  ['l', 'link'],
  ['link', 'link'],
  ['r', 'route'],
  ['ro', 'route'],
  ['route', 'route'],
  ['n', 'neighbour'],
  ['neigh', 'neighbour'],
  ['neighbor', 'neighbour'],
  ['neighbour', 'neighbour'],
  ['ru', 'rule'],
  ['rule', 'rule'],
]);

const IP_SHOW_VERBS = ['show', 'list', 'lst'];
const IP_READ_VERBS: ReadonlyMap<string, readonly string[]> = new Map([
  ['address', IP_SHOW_VERBS],
  ['link', IP_SHOW_VERBS],
  ['route', [...IP_SHOW_VERBS, 'get']],
  ['neighbour', [...IP_SHOW_VERBS, 'get']],
  ['rule', IP_SHOW_VERBS],
]);

function judgeIp(program: string, args: readonly CommandArgument[]): string[] {
  const globs = checkGlobs(program, args, 'never');
  if (globs.length > 0) return globs;
  const words = args.map((arg) => arg.value);
  let index = 0;
  while (words[index]?.startsWith('-')) {
    const option = words[index] as string;
    if (!IP_DISPLAY_OPTIONS.has(option)) {
      return [`${program} option ${quoteForReason(option)} is not on the read-only list`];
    }
    index += 1;
  }
  const objectWord = words[index];
  const object = objectWord === undefined ? undefined : IP_OBJECTS.get(objectWord);
  if (object === undefined) {
    return [
      `${program} object ${quoteForReason(objectWord ?? '')} is not address, link, route, neigh or rule`,
    ];
  }
  const verb = words[index + 1];
  const verbs = IP_READ_VERBS.get(object) ?? [];
  if (verb !== undefined && !verbs.includes(verb)) {
    return [`${program} ${object} ${quoteForReason(verb)} is not one of ${verbs.join(', ')}`];
  }
  return [];
}

const ip: ProgramRule = {
  summary: 'ip [display options] address|link|route|neigh|rule [show|list|get ...]',
  judge: judgeIp,
};

/**
 * The URLs curl may request: http(s), a plain host (no user info, no curl globbing with
 * `{}` or `[]`, no backslashes) and a path. Anything else is not judged.
 */
const CURL_URL =
  /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$/;
const CURL_READ_METHODS = new Set(['GET', 'HEAD']);

const curl = programRule({
  summary:
    "curl GET/HEAD to http(s) URLs on the instance's network_allowlist, with display, header and timeout options; nothing read from files",
  globs: 'never',
  options: optionTable(
    'qsSIifvm:H:A:X:46',
    'disable silent show-error head include fail verbose max-time= connect-timeout= header= user-agent= request= compressed http1.1 http2 ipv4 ipv6 no-progress-meter',
  ),
  deny: [
    { short: 'o', long: ['output', 'output-dir'], because: 'writes a file', value: true },
    {
      short: 'O',
      long: ['remote-name', 'remote-name-all', 'create-dirs'],
      because: 'writes a file',
    },
    {
      short: 'dFTeb',
      long: [
        'data',
        'data-raw',
        'data-binary',
        'data-urlencode',
        'data-ascii',
        'json',
        'form',
        'form-string',
        'upload-file',
        'referer',
        'cookie',
        'url-query',
      ],
      because: 'sends data, possibly read from a file, to the server',
      value: true,
    },
    {
      short: 'Dc',
      long: [
        'dump-header',
        'cookie-jar',
        'trace',
        'trace-ascii',
        'stderr',
        'libcurl',
        'etag-save',
        'hsts',
        'alt-svc',
      ],
      because: 'writes a file',
      value: true,
    },
    { short: 'K', long: ['config'], because: 'reads options from a file', value: true },
    {
      short: 'xu',
      long: ['proxy', 'user', 'connect-to', 'resolve', 'url'],
      because: 'sends the request or credentials somewhere else',
      value: true,
    },
    {
      short: 'L',
      long: ['location', 'location-trusted'],
      because: 'follows redirects to any destination',
    },
  ],
  check: (parsed, program, context) => {
    const reasons: string[] = [];
    for (const option of parsed.options) {
      const method =
        option.name === 'X' || option.name === 'request' ? (option.value ?? '') : undefined;
      if (method !== undefined && !CURL_READ_METHODS.has(method)) {
        reasons.push(
          `${program} ${option.flag} ${quoteForReason(method)} is not a GET or HEAD request`,
        );
      }
      if (
        ['H', 'header', 'A', 'user-agent'].includes(option.name) &&
        option.value?.startsWith('@') === true
      ) {
        reasons.push(
          `${program} ${option.flag} ${quoteForReason(option.value)} reads a file into the request`,
        );
      }
    }
    if (parsed.operands.length === 0) reasons.push(`${program} without a URL`);
    for (const operand of parsed.operands) {
      if (!CURL_URL.test(operand.value)) {
        reasons.push(
          `${program} URL ${quoteForReason(operand.value)} is not a plain http:// or https:// URL`,
        );
      } else if (!context.network.allowsUrl(operand.value)) {
        reasons.push(
          `${program} sends a request to ${quoteForReason(operand.value)}, which is not on the network_allowlist`,
        );
      }
    }
    return reasons;
  },
});

/**
 * Rules for network tools: `ip` shows state; the clients (curl, ping, dig, host, nslookup,
 * getent hosts) are read-only only towards destinations on the instance's network_allowlist.
 *
 * @example
 * ```ts
 * NETWORK_RULES.get('ip')?.judge('ip', args, context); // for `ip link set eth0 down`: ['ip link "set" is not one of show, list, lst']
 * ```
 */
export const NETWORK_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ['ip', ip],
  ['curl', curl],
  ...DNS_RULES,
]);
