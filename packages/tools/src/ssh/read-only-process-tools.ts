import { quoteForReason, type CommandArgument } from './command-words.js';
import { optionTable } from './option-table.js';
import { programRule, type ProgramRule } from './read-only-rule.js';

/** BSD-style ps words (`aux`): letters that take no value. */
const PS_BSD_WORD = /^[aAcCeEfghHjlLmMnrsSTuvVwxXZ]+$/;

/**
 * ps: UNIX options from its table, BSD words of value-less letters (`aux`), and process
 * ids. ps never writes; the table keeps it to what is known.
 *
 * @example
 * ```ts
 * PS_RULE.judge('ps', args, context); // for `ps aux`: []
 * ```
 */
export const PS_RULE: ProgramRule = programRule({
  summary: 'ps: selection and format options, BSD words like aux',
  globs: 'never',
  options: optionTable('AaCcdeFfHjlLMNTwxyZG:g:o:O:p:q:s:t:u:U:k:', [
    'forest',
    'headers',
    'no-headers',
    'sort=',
    'format=',
    'cols=',
    'columns=',
    'width=',
    'lines=',
    'rows=',
    'pid=',
    'ppid=',
    'user=',
    'group=',
    'User=',
    'Group=',
    'tty=',
    'sid=',
    'quick-pid=',
    'info',
    'context',
    'cumulative',
    'deselect',
    'signames',
    'help?',
    'version',
  ]),
  check: (parsed, program) =>
    parsed.operands
      .filter((operand) => !PS_BSD_WORD.test(operand.value) && !/^[0-9]+$/.test(operand.value))
      .map(
        (operand) =>
          `${program} word ${quoteForReason(operand.value)} is not on the read-only list`,
      ),
});

/** lsof option letters, after `-` or `+`, that take a value (the rest of the word or the next). */
const LSOF_VALUE_LETTERS = 'cdDefFgiklLmMpsStTuxzZ';
/** Letters accepted after `-`, and after `+`. `-D` (device cache), `-r`/`+r` (repeat) and `M` (portmapper) are not. */
const LSOF_MINUS = 'abcdefFgiklLnNoOPpRsStTuUvVwxXhKQzZ';
const LSOF_PLUS = 'cdDLEfe';

function judgeLsof(program: string, args: readonly CommandArgument[]): string[] {
  const reasons: string[] = [];
  for (const argument of args) {
    const word = argument.value;
    if (argument.glob && argument.mayExpandToOption) {
      reasons.push(`glob ${quoteForReason(word)} could expand to an option of ${program}`);
      continue;
    }
    if (word === '--') break;
    if (word.length < 2 || (!word.startsWith('-') && !word.startsWith('+'))) continue;
    const allowed = word.startsWith('-') ? LSOF_MINUS : LSOF_PLUS;
    for (const letter of word.slice(1)) {
      if (!allowed.includes(letter)) {
        const what =
          letter === 'r'
            ? 'repeats until interrupted'
            : letter === 'D'
              ? 'may write a device cache file'
              : 'is not on the read-only list';
        reasons.push(`${program} option ${quoteForReason(`${word.charAt(0)}${letter}`)} ${what}`);
        break;
      }
      if (LSOF_VALUE_LETTERS.includes(letter)) break;
    }
  }
  return reasons;
}

/**
 * lsof: every word that starts with `-` or `+` is read as options, letter by letter,
 * wherever it stands (lsof's own option reader decides which words are values, so the
 * policy checks them all). No `-D`, `-r`/`+r` or `+|-M`.
 *
 * @example
 * ```ts
 * LSOF_RULE.judge('lsof', args, context); // for `lsof -r 1`: ['lsof option "-r" repeats until interrupted']
 * ```
 */
export const LSOF_RULE: ProgramRule = {
  summary: 'lsof without -r/+r (repeat mode), -D (device cache) or +|-M (portmapper)',
  judge: judgeLsof,
};
