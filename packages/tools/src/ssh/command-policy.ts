import { forbiddenCharacterIn } from './command-characters.js';
import { parseCommandLine } from './command-parser.js';
import { readCommandStructure, type CommandStructure } from './command-syntax.js';
import { networkAllowlist, type PolicyContext } from './network-allowlist.js';
import { judgeProgram } from './read-only-programs.js';

/**
 * What the read-only policy makes of a shell command line:
 * - `read`: every simple command is an allowlisted read-only program with allowed
 *   arguments, joined only by `|`, `&&`, `||` or `;`. It may run at once.
 * - `write`: it parses, but something is outside the read-only policy; `reasons` say what,
 *   e.g. `redirection ">" writes a file: "/tmp/x"`, `program "rm" is not on the read-only
 *   list`, `sed -i edits files in place`. Only an operator may approve it, on a host that
 *   allows writes.
 * - `refused`: it cannot be judged at all (empty, too long, control, bidirectional or
 *   invisible characters, a syntax error). It must not run.
 */
export type CommandVerdict =
  | { readonly kind: 'read'; readonly programs: readonly string[] }
  | { readonly kind: 'write'; readonly reasons: readonly string[] }
  | { readonly kind: 'refused'; readonly reason: string };

/** The longest command line the policy judges, in characters. */
export const MAX_COMMAND_LENGTH = 4096;

/** What the policy needs to know about the tool instance a command runs for. */
export interface CommandPolicyOptions {
  /**
   * Network destinations read-only commands may reach (`host`, `*.domain`, `host:port`,
   * `http(s)://host/path-prefix`); default none, so every network client needs approval.
   */
  readonly networkAllowlist?: readonly string[];
}

/**
 * Judges a shell command line against the read-only policy. The line is parsed with a
 * real Bash grammar (tree-sitter-bash); structure and programs are judged deny-by-default
 * (see `read-only-programs.ts` for the allowlist and each program's rule). Network clients
 * are read-only only towards `options.networkAllowlist`. What is accepted as read-only is
 * also plain POSIX sh: commands run under `/bin/sh -c`. The parser is loaded once per
 * process; a failure to load it rejects the promise.
 *
 * @example
 * ```ts
 * await judgeCommand('ps aux | grep nginx'); // { kind: 'read', programs: ['ps', 'grep'] }
 * await judgeCommand('rm -rf /tmp/x'); // { kind: 'write', reasons: ['program "rm" is not on the read-only list'] }
 * await judgeCommand("ls 'oops"); // { kind: 'refused', reason: 'the command is not valid shell syntax ...' }
 * ```
 */
export async function judgeCommand(
  command: string,
  options: CommandPolicyOptions = {},
): Promise<CommandVerdict> {
  const refusal = refusalBeforeParsing(command);
  if (refusal !== null) return { kind: 'refused', reason: refusal };
  const network = networkAllowlist(options.networkAllowlist ?? []);
  if (typeof network === 'string') return { kind: 'refused', reason: network };
  const parsed = await parseCommandLine(command, readCommandStructure);
  if (!parsed.ok) return { kind: 'refused', reason: parsed.error };
  return judgeStructure(parsed.value, { network });
}

function refusalBeforeParsing(command: string): string | null {
  if (typeof command !== 'string') return 'the command is not a string';
  if (command.trim() === '') return 'the command is empty';
  if (command.length > MAX_COMMAND_LENGTH) {
    return `the command is ${command.length} characters long; at most ${MAX_COMMAND_LENGTH} are judged`;
  }
  return forbiddenCharacterIn(command);
}

function judgeStructure(structure: CommandStructure, context: PolicyContext): CommandVerdict {
  const reasons = [...structure.reasons];
  const programs: string[] = [];
  for (const command of structure.commands) {
    const words = [command.program, ...command.args];
    const dynamic = words.flatMap((word) => (word.literal ? [] : [word.reason]));
    if (dynamic.length > 0 || !command.program.literal) {
      reasons.push(...dynamic);
      continue;
    }
    const args = command.args.flatMap((word) => (word.literal ? [word.argument] : []));
    const judgement = judgeProgram(command.program.argument, args, context);
    programs.push(judgement.program);
    reasons.push(...judgement.reasons);
  }
  if (reasons.length > 0) return { kind: 'write', reasons: [...new Set(reasons)] };
  if (programs.length === 0) return { kind: 'write', reasons: ['the command runs no program'] };
  return { kind: 'read', programs: [...new Set(programs)] };
}
