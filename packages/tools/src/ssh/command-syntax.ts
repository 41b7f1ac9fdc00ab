import type { Node } from 'web-tree-sitter';
import { quoteForReason, readShellWord, type ShellWord } from './command-words.js';
import { deviceProblem } from './device-paths.js';

/** One simple command of a command line: a program and its arguments, before expansion. */
export interface SimpleCommand {
  /** The program word, e.g. `grep` in `grep -i error`. */
  readonly program: ShellWord;
  /** The argument words, in order. */
  readonly args: readonly ShellWord[];
}

/**
 * What the shell structure of a command line allows: the simple commands it runs, and
 * the reasons why its structure (redirections, control flow, background jobs...) is not
 * read-only. Reasons about the programs themselves are judged elsewhere.
 */
export interface CommandStructure {
  readonly commands: readonly SimpleCommand[];
  readonly reasons: readonly string[];
}

/** Shell constructs that are never read-only, with the reason reported for each. */
const UNSUPPORTED_SYNTAX: Readonly<Record<string, string>> = {
  subshell: 'a subshell "( ... )" is not allowed',
  compound_statement: 'a command group "{ ... }" or arithmetic command is not allowed',
  function_definition: 'a function definition is not allowed',
  if_statement: 'control flow "if" is not allowed',
  while_statement: 'a loop is not allowed',
  for_statement: 'a loop is not allowed',
  c_style_for_statement: 'a loop is not allowed',
  case_statement: 'control flow "case" is not allowed',
  test_command: 'a test "[[ ... ]]" is not allowed',
  declaration_command: 'a declaration (export, declare, local...) changes the environment',
  unset_command: 'unset changes the environment',
  variable_assignment: 'an assignment changes the environment',
  variable_assignments: 'an assignment changes the environment',
  comment: 'a comment hides text from review',
  heredoc_redirect: 'a here-document is not allowed',
  herestring_redirect: 'a here-string "<<<" is not allowed',
};

/** The only file an output redirection may name: writing there changes nothing. */
const DISCARD_FILE = '/dev/null';
/** Standard descriptors that `N>&M` may duplicate between. */
const STANDARD_DESCRIPTORS = new Set(['0', '1', '2']);

/**
 * Walks a parsed command line and collects its simple commands, plus a reason for every
 * construct outside the read-only structure: only `|`, `&&`, `||`, `;` and `!` may join
 * simple commands, and only `< file`, `> /dev/null` and `N>&M` redirections may appear.
 *
 * @example
 * ```ts
 * const structure = readCommandStructure(root); // for `ls > out`
 * // structure.reasons: ['redirection ">" writes a file: "out"']
 * ```
 */
export function readCommandStructure(root: Node): CommandStructure {
  const commands: SimpleCommand[] = [];
  const reasons: string[] = [];
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'program':
      case 'list':
      case 'pipeline':
      case 'negated_command':
        for (const child of node.children) {
          if (child === null) continue;
          if (child.isNamed) visit(child);
          else checkOperator(child, reasons);
        }
        return;
      case 'redirected_statement':
        for (const child of node.children) {
          if (child === null) continue;
          if (child.type.endsWith('_redirect')) checkRedirect(child, reasons);
          else visit(child);
        }
        return;
      case 'command':
        commands.push(readSimpleCommand(node, reasons));
        return;
      default:
        reasons.push(UNSUPPORTED_SYNTAX[node.type] ?? `shell syntax ${node.type} is not allowed`);
    }
  };
  visit(root);
  return { commands, reasons };
}

function checkOperator(token: Node, reasons: string[]): void {
  switch (token.type) {
    case ';':
    case '|':
    case '&&':
    case '||':
    case '!':
      return;
    case '&':
      reasons.push('background "&" runs a command detached from review');
      return;
    default:
      reasons.push(`operator ${quoteForReason(token.type)} is not allowed`);
  }
}

function readSimpleCommand(node: Node, reasons: string[]): SimpleCommand {
  let program: ShellWord | undefined;
  const args: ShellWord[] = [];
  for (let index = 0; index < node.childCount; index += 1) {
    const child = node.child(index);
    if (child === null) continue;
    const field = node.fieldNameForChild(index);
    if (field === 'name' && child.type === 'command_name') {
      const word = child.namedChild(0);
      program = word === null ? nonLiteral('an empty program name') : readShellWord(word);
    } else if (field === 'argument') {
      args.push(readShellWord(child));
    } else if (child.type.endsWith('_redirect')) {
      checkRedirect(child, reasons);
    } else {
      reasons.push(UNSUPPORTED_SYNTAX[child.type] ?? `shell syntax ${child.type} is not allowed`);
    }
  }
  return { program: program ?? nonLiteral('a command without a program'), args };
}

function nonLiteral(reason: string): ShellWord {
  return { literal: false, reason };
}

function checkRedirect(node: Node, reasons: string[]): void {
  if (node.type !== 'file_redirect') {
    reasons.push(UNSUPPORTED_SYNTAX[node.type] ?? `redirection ${node.type} is not allowed`);
    return;
  }
  let descriptor: string | undefined;
  let operator: string | undefined;
  const destinations: Node[] = [];
  for (let index = 0; index < node.childCount; index += 1) {
    const child = node.child(index);
    if (child === null) continue;
    const field = node.fieldNameForChild(index);
    if (field === 'descriptor') descriptor = child.text;
    else if (field === 'destination') destinations.push(child);
    else if (!child.isNamed) operator ??= child.type;
  }
  const op = operator ?? '?';
  const quotedOp = quoteForReason(op);
  if (destinations.length === 0) {
    reasons.push(`redirection ${quotedOp} is not allowed`);
    return;
  }
  if (destinations.length > 1) {
    // `cmd 2>&1 x`: tree-sitter files `x` under the redirection although it is an argument.
    reasons.push(`redirection ${quotedOp} must be the last word of its command`);
    return;
  }
  const target = readShellWord(destinations[0] as Node);
  if (!target.literal) {
    reasons.push(`redirection ${quotedOp} target: ${target.reason}`);
    return;
  }
  if (descriptor !== undefined && !/^[0-9]$/.test(descriptor)) {
    // POSIX sh reads `10>x` as the word `10` and `>x`: the shells would disagree.
    reasons.push(
      `redirection ${quotedOp} names descriptor ${quoteForReason(descriptor)}, which sh reads differently`,
    );
    return;
  }
  const file = target.argument;
  const verdict = judgeRedirect(op, descriptor, file.value, file.glob);
  if (verdict !== null)
    reasons.push(`redirection ${quotedOp} ${verdict}: ${quoteForReason(file.value)}`);
}

/** Returns null when the redirection is read-only, else what it does. */
function judgeRedirect(
  operator: string,
  descriptor: string | undefined,
  target: string,
  glob: boolean,
): string | null {
  if (glob) return 'names a glob pattern';
  switch (operator) {
    case '<':
      if (/^\/dev\/(?:tcp|udp)\//.test(target)) return 'opens a network connection';
      if (deviceProblem('it', { value: target, glob, mayExpandToOption: false }) !== null) {
        return 'opens a device or kernel file that may act on the machine';
      }
      return descriptor === undefined || descriptor === '0' ? null : 'opens an unusual descriptor';
    case '>':
      return target === DISCARD_FILE ? null : 'writes a file';
    case '>&':
      if (/^[0-9]+$/.test(target) && !STANDARD_DESCRIPTORS.has(target)) {
        return 'duplicates an unusual descriptor';
      }
      if (!STANDARD_DESCRIPTORS.has(target)) return 'writes a file';
      return descriptor === undefined || STANDARD_DESCRIPTORS.has(descriptor)
        ? null
        : 'duplicates an unusual descriptor';
    case '>>':
    case '&>':
    case '&>>':
    case '>|':
      return 'writes a file';
    default:
      return 'is not allowed';
  }
}
