import { parseArguments } from './command-options.js';
import { quoteForReason } from './command-words.js';
import { tokenizeAwkProgram, type AwkToken } from './read-only-awk-tokens.js';
import { checkGlobs, type ProgramRule } from './read-only-rule.js';

/** Names that run commands, read files outside the operands, or pick other inputs. */
const FORBIDDEN_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['system', 'system() runs a shell command'],
  ['getline', 'getline reads from commands or files'],
  ['ARGV', 'ARGV changes the files awk reads (gawk opens /inet/... names as connections)'],
  ['ARGC', 'ARGC changes the files awk reads'],
  // gawk's switch statement: to mawk and busybox these are variables, so a "/" after them
  // divides there and starts a regular expression in gawk (and in the tokenizer).
  ['switch', '"switch" is a keyword only in gawk (other awks read a variable)'],
  ['case', '"case" is a keyword only in gawk (other awks read a variable)'],
  ['default', '"default" is a keyword only in gawk (other awks read a variable)'],
]);

/**
 * awk, read-only: only `-F` and `-v` options, and a program text that has no `system()`,
 * no `getline`, no pipe `|` and no `>`/`>>` inside a `print`/`printf` statement (output
 * redirection). The program is tokenized; anything the tokenizer cannot follow is refused.
 *
 * @example
 * ```ts
 * awkRule.judge('awk', args); // for `awk '{system("rm x")}'`: ['awk program "...": system() runs a shell command']
 * ```
 */
export const awkRule: ProgramRule = {
  summary: 'awk with -F/-v only; no system(), getline, ARGV, "|" or print/printf redirection',
  judge: (program, args) => {
    const reasons: string[] = [];
    const parsed = parseArguments(args, { valueShort: 'Fvf' });
    for (const option of parsed.options) {
      if (option.long || !'Fv'.includes(option.name)) {
        const what =
          option.name === 'f'
            ? 'runs a program file that cannot be checked'
            : 'is not on the read-only list';
        reasons.push(`${program} option ${quoteForReason(option.flag)} ${what}`);
      }
    }
    const [source, ...files] = parsed.operands;
    if (source === undefined) return [...reasons, `${program} without a program text`];
    if (source.glob) reasons.push(`${program} program must not be a glob pattern`);
    reasons.push(...checkGlobs(program, files, 'paths'));
    const problem = findWriteInAwkProgram(source.value);
    if (problem !== null)
      reasons.push(`${program} program ${quoteForReason(source.value)}: ${problem}`);
    return reasons;
  },
};

/**
 * Returns why an awk program is not read-only, or null when it only reads its input and
 * prints to standard output.
 *
 * @example
 * ```ts
 * findWriteInAwkProgram('$9 >= 500 {print $7}'); // null
 * findWriteInAwkProgram('{print > "/tmp/x"}'); // 'print with ">" writes a file'
 * ```
 */
export function findWriteInAwkProgram(source: string): string | null {
  const tokens = tokenizeAwkProgram(source);
  if (typeof tokens === 'string') return tokens;
  let printing: string | undefined;
  for (const [index, token] of tokens.entries()) {
    const problem = judgeToken(token, printing);
    if (problem !== null) return problem;
    const next = tokens[index + 1];
    if (token.kind === 'name' && token.text === 'length' && next?.text.startsWith('/') === true) {
      // mawk reads `length /x/` as length and a regular expression; gawk and busybox as a division.
      return '"length" without parentheses before "/" is read differently by mawk';
    }
    if (token.kind === 'name' && (token.text === 'print' || token.text === 'printf')) {
      printing = token.text;
    } else if (
      token.kind === 'operator' &&
      (token.text === ';' || token.text === '{' || token.text === '}')
    ) {
      printing = undefined;
    }
  }
  return null;
}

function judgeToken(token: AwkToken, printing: string | undefined): string | null {
  if (token.kind === 'name') return FORBIDDEN_FUNCTIONS.get(token.text) ?? null;
  if (token.kind !== 'operator') return null;
  if (token.text === '|' || token.text === '|&') return `a pipe "${token.text}" runs a command`;
  if (printing !== undefined && (token.text === '>' || token.text === '>>')) {
    return `${printing} with "${token.text}" writes a file`;
  }
  return null;
}
