import { quoteForReason, type CommandArgument } from './command-words.js';
import { DEFAULT_POLICY_CONTEXT, type PolicyContext } from './network-allowlist.js';
import { cdProblem, deviceProblem } from './device-paths.js';
import { awkRule } from './read-only-awk.js';
import { CONTAINER_RULES } from './read-only-containers.js';
import { FILE_TOOL_RULES } from './read-only-file-tools.js';
import { NETWORK_RULES } from './read-only-network.js';
import { PROCESS_TOOL_RULES } from './read-only-process-tools.js';
import type { ProgramRule } from './read-only-rule.js';
import { sedRule } from './read-only-sed.js';
import { SERVICE_RULES } from './read-only-services.js';
import { SYSTEM_TOOL_RULES } from './read-only-system-tools.js';

/**
 * Every program the read-only policy accepts, with the rule its arguments must pass.
 * A program missing here is never read-only.
 *
 * @example
 * ```ts
 * READ_ONLY_PROGRAMS.get('uptime')?.summary; // 'uptime: any option'
 * ```
 */
export const READ_ONLY_PROGRAMS: ReadonlyMap<string, ProgramRule> = new Map<string, ProgramRule>([
  ...FILE_TOOL_RULES,
  ...SYSTEM_TOOL_RULES,
  ...PROCESS_TOOL_RULES,
  ...SERVICE_RULES,
  ...NETWORK_RULES,
  ...CONTAINER_RULES,
  ['sed', sedRule],
  ['awk', awkRule],
  ['gawk', awkRule],
  ['mawk', awkRule],
]);

/** Programs that run another command or a script they are given: never read-only. */
const COMMAND_RUNNERS = new Set([
  'env',
  'xargs',
  'sudo',
  'su',
  'doas',
  'runuser',
  'pkexec',
  'nohup',
  'timeout',
  'nice',
  'ionice',
  'chrt',
  'taskset',
  'watch',
  'time',
  'command',
  'builtin',
  'exec',
  'eval',
  'source',
  '.',
  'coproc',
  'strace',
  'ltrace',
  'chroot',
  'nsenter',
  'unshare',
  'setsid',
  'stdbuf',
  'flock',
  'busybox',
  'systemd-run',
  'ssh',
  'parallel',
  'script',
  'trap',
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'fish',
  'csh',
  'tcsh',
  'python',
  'perl',
  'ruby',
  'node',
  'php',
  'lua',
  'tclsh',
  'Rscript',
  'expect',
]);
const VERSIONED_INTERPRETER = /^(?:python|perl|ruby|php|lua|node)[0-9.]*$/;

/**
 * File names that are network connections to some programs: bash's `/dev/tcp/host/port`
 * and gawk's `/inet/tcp/lport/host/rport`. No read-only command may name them.
 */
const NETWORK_FILE = /^\/(?:dev\/(?:tcp|udp)|inet[46]?)\//;

/** Where a program named by path may live: the system's own program directories. */
const SYSTEM_PROGRAM_DIRECTORIES = new Set([
  '/bin',
  '/usr/bin',
  '/sbin',
  '/usr/sbin',
  '/usr/local/bin',
]);

/** A program judged against the read-only policy. */
export interface ProgramJudgement {
  /** The program name as listed (a basename), e.g. `ls` for `/usr/bin/ls`. */
  readonly program: string;
  /** Why this invocation is not read-only; empty when it is. */
  readonly reasons: readonly string[];
}

/**
 * Judges one simple command: its program must be on {@link READ_ONLY_PROGRAMS} (by name,
 * or by path inside a system program directory) and its arguments must pass its rule.
 *
 * @example
 * ```ts
 * judgeProgram({ value: 'rm', glob: false, mayExpandToOption: false }, []);
 * // { program: 'rm', reasons: ['program "rm" is not on the read-only list'] }
 * ```
 */
export function judgeProgram(
  word: CommandArgument,
  args: readonly CommandArgument[],
  context: PolicyContext = DEFAULT_POLICY_CONTEXT,
): ProgramJudgement {
  const written = word.value;
  if (word.glob)
    return {
      program: written,
      reasons: [`program name ${quoteForReason(written)} is a glob pattern`],
    };
  const slash = written.lastIndexOf('/');
  const program = slash === -1 ? written : written.slice(slash + 1);
  if (slash !== -1) {
    const directory = slash === 0 ? '/' : written.slice(0, slash);
    if (!SYSTEM_PROGRAM_DIRECTORIES.has(directory)) {
      return {
        program,
        reasons: [
          `program path ${quoteForReason(written)} is outside ${[...SYSTEM_PROGRAM_DIRECTORIES].join(', ')}`,
        ],
      };
    }
  }
  if (COMMAND_RUNNERS.has(program) || VERSIONED_INTERPRETER.test(program)) {
    return { program, reasons: [`program ${quoteForReason(program)} runs other commands or code`] };
  }
  const rule = READ_ONLY_PROGRAMS.get(program);
  if (rule === undefined) {
    return {
      program,
      reasons: [`program ${quoteForReason(program)} is not on the read-only list`],
    };
  }
  const network = args
    .filter((arg) => NETWORK_FILE.test(arg.value))
    .map((arg) => `${program} argument ${quoteForReason(arg.value)} names a network connection`);
  const devices = args.flatMap((arg) => {
    const problem = program === 'cd' ? cdProblem(arg.value) : deviceProblem(program, arg);
    return problem === null ? [] : [problem];
  });
  return { program, reasons: [...network, ...devices, ...rule.judge(program, args, context)] };
}
