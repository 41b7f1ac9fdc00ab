import { quoteForReason, type CommandArgument } from './command-words.js';
import type { PolicyContext } from './network-allowlist.js';
import { optionTable, type OptionTable } from './option-table.js';
import {
  checkGlobs,
  hasOption,
  programRule,
  type ProgramRule,
  type ProgramSpec,
} from './read-only-rule.js';

const dockerVerb = (
  summary: string,
  options: OptionTable,
  extra: Partial<ProgramSpec> = {},
): ProgramRule => programRule({ summary, globs: 'never', options, ...extra });

const FORMAT = ['format='];
const LISTING = dockerVerb('ls', optionTable('qf:', 'quiet filter= format= no-trunc'));
const INSPECT = dockerVerb('inspect', optionTable('sf:', 'size format= type='));

/** `docker top CONTAINER [ps options]`: everything after the container goes to `ps`. */
const DOCKER_TOP: ProgramRule = {
  summary: 'top CONTAINER [ps options]',
  judge: (program, args) =>
    args[0] === undefined || args[0].value.startsWith('-')
      ? [`${program} needs a container first`]
      : [],
};

/** Read-only docker subcommands with the options each accepts. */
const DOCKER_VERBS: ReadonlyMap<string, ProgramRule> = new Map([
  [
    'ps',
    dockerVerb(
      'ps',
      optionTable('aqsln:f:', 'all quiet size latest last= filter= format= no-trunc'),
    ),
  ],
  [
    'images',
    dockerVerb('images', optionTable('aqf:', 'all quiet filter= format= no-trunc digests')),
  ],
  ['inspect', INSPECT],
  [
    'logs',
    dockerVerb('logs without -f', optionTable('tn:', 'timestamps tail= since= until= details'), {
      deny: [{ short: 'f', long: ['follow'], because: 'follows the log and never ends' }],
    }),
  ],
  [
    'stats',
    dockerVerb('stats --no-stream', optionTable('a', ['all', 'no-stream', 'no-trunc', ...FORMAT]), {
      check: (parsed, program) =>
        hasOption(parsed, '', ['no-stream']) ? [] : [`${program} without --no-stream never ends`],
    }),
  ],
  ['top', DOCKER_TOP],
  ['port', dockerVerb('port', optionTable(''))],
  ['version', dockerVerb('version', optionTable('f:', FORMAT))],
  ['info', dockerVerb('info', optionTable('f:', FORMAT))],
  ['history', dockerVerb('history', optionTable('Hq', ['human=', 'quiet', 'no-trunc', ...FORMAT]))],
  ['system df', dockerVerb('system df', optionTable('v', ['verbose', ...FORMAT]))],
  ['network ls', LISTING],
  ['volume ls', LISTING],
  ['network inspect', INSPECT],
  ['volume inspect', INSPECT],
]);

/** Management commands (`docker container ls`) mapped to the verbs above. */
const DOCKER_ALIASES = new Map([
  ['container ls', 'ps'],
  ['container list', 'ps'],
  ['container ps', 'ps'],
  ['container inspect', 'inspect'],
  ['container logs', 'logs'],
  ['container top', 'top'],
  ['container port', 'port'],
  ['container stats', 'stats'],
  ['image ls', 'images'],
  ['image list', 'images'],
  ['image inspect', 'inspect'],
  ['image history', 'history'],
  ['network list', 'network ls'],
  ['volume list', 'volume ls'],
  ['system info', 'info'],
]);

function judgeDocker(
  program: string,
  args: readonly CommandArgument[],
  context: PolicyContext,
): readonly string[] {
  const globs = checkGlobs(program, args, 'never');
  if (globs.length > 0) return globs;
  const [first, second] = args.map((arg) => arg.value);
  if (first === undefined || first.startsWith('-')) {
    return [
      `${program} must start with a read-only subcommand (no global options such as ${quoteForReason(first ?? '')})`,
    ];
  }
  const pair = `${first} ${second ?? ''}`;
  const verb = DOCKER_ALIASES.get(pair) ?? (DOCKER_VERBS.has(pair) ? pair : first);
  const rule = DOCKER_VERBS.get(verb);
  if (rule === undefined)
    return [`${program} ${quoteForReason(first)} is not a read-only docker command`];
  const rest = args.slice(verb === first ? 1 : 2);
  return rule.judge(`${program} ${verb}`, rest, context);
}

const docker: ProgramRule = {
  summary: `docker ${[...DOCKER_VERBS.keys()].join('|')} (and container/image aliases), no -f/--follow`,
  judge: judgeDocker,
};

const KUBECTL_VERBS = new Set([
  'get',
  'describe',
  'logs',
  'top',
  'explain',
  'version',
  'api-resources',
  'api-versions',
  'events',
]);
const KUBECTL_TOP_OBJECTS = new Set(['pod', 'pods', 'po', 'node', 'nodes', 'no']);
/** kubectl flags that take a value; `--server`, `--kubeconfig`, `--token`... are not here. */
const KUBECTL_VALUE_LONG = [
  'namespace',
  'output',
  'selector',
  'field-selector',
  'sort-by',
  'label-columns',
  'chunk-size',
  'request-timeout',
  'context',
  'container',
  'tail',
  'since',
  'since-time',
  'limit-bytes',
  'max-log-requests',
  'raw',
  'api-group',
  'verbs',
];
const KUBECTL_FLAGS = [
  'all-namespaces',
  'show-labels',
  'no-headers',
  'show-kind',
  'previous',
  'timestamps',
  'all-containers',
  'prefix',
  'containers',
  'use-protocol-buffers',
  'show-events',
  'ignore-not-found',
  'recursive',
  'namespaced',
];

const kubectl = programRule({
  summary: `kubectl ${[...KUBECTL_VERBS].join('|')} with display and selection options, no -f/-w`,
  globs: 'never',
  options: optionTable('n:o:l:c:L:Ap', [
    ...KUBECTL_VALUE_LONG.map((name) => `${name}=`),
    ...KUBECTL_FLAGS,
  ]),
  deny: [
    {
      short: 's',
      long: [
        'server',
        'kubeconfig',
        'token',
        'as',
        'as-group',
        'cluster',
        'user',
        'certificate-authority',
        'insecure-skip-tls-verify',
      ],
      because: 'sends the request or credentials elsewhere',
    },
    {
      short: 'f',
      long: ['follow', 'filename'],
      because: 'follows logs forever or reads manifest files',
    },
    { short: 'w', long: ['watch', 'watch-only'], because: 'watches and never ends' },
  ],
  check: (parsed, program) => {
    const [verb, object] = parsed.operands.map((operand) => operand.value);
    if (verb === undefined || !KUBECTL_VERBS.has(verb)) {
      return [`${program} ${quoteForReason(verb ?? '')} is not a read-only kubectl command`];
    }
    if (verb === 'top' && (object === undefined || !KUBECTL_TOP_OBJECTS.has(object))) {
      return [`${program} top ${quoteForReason(object ?? '')} is not pod or node`];
    }
    return [];
  },
});

/**
 * Rules for container tools, by program name.
 *
 * @example
 * ```ts
 * CONTAINER_RULES.get('docker')?.judge('docker', args, context); // for `docker rm x`: ['docker "rm" is not a read-only docker command']
 * ```
 */
export const CONTAINER_RULES: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ['docker', docker],
  ['kubectl', kubectl],
]);
