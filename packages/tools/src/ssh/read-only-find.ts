import { quoteForReason, type CommandArgument } from './command-words.js';
import { checkGlobs, type ProgramRule } from './read-only-rule.js';

/** Actions of find that write, delete or run commands, with what each does. */
const FIND_ACTIONS_THAT_WRITE = new Map<string, string>([
  ['-exec', 'runs a command'],
  ['-execdir', 'runs a command'],
  ['-ok', 'runs a command'],
  ['-okdir', 'runs a command'],
  ['-delete', 'deletes files'],
  ['-fprint', 'writes a file'],
  ['-fprint0', 'writes a file'],
  ['-fprintf', 'writes a file'],
  ['-fls', 'writes a file'],
]);

/** Expression words of GNU find that take no argument: tests, options, operators, prints. */
const FIND_WORDS = new Set([
  '(',
  ')',
  '!',
  ',',
  '-not',
  '-a',
  '-and',
  '-o',
  '-or',
  '-depth',
  '-d',
  '-daystart',
  '-follow',
  '-ignore_readdir_race',
  '-noignore_readdir_race',
  '-mount',
  '-xdev',
  '-noleaf',
  '-warn',
  '-nowarn',
  '-empty',
  '-executable',
  '-false',
  '-true',
  '-nogroup',
  '-nouser',
  '-readable',
  '-writable',
  '-print',
  '-print0',
  '-ls',
  '-prune',
  '-quit',
  '-help',
  '-version',
]);

/** Expression words of GNU find followed by one argument (a test value or a format). */
const FIND_WORDS_WITH_VALUE = new Set([
  '-maxdepth',
  '-mindepth',
  '-amin',
  '-anewer',
  '-atime',
  '-cmin',
  '-cnewer',
  '-ctime',
  '-fstype',
  '-gid',
  '-group',
  '-ilname',
  '-iname',
  '-inum',
  '-ipath',
  '-iregex',
  '-iwholename',
  '-links',
  '-lname',
  '-mmin',
  '-mtime',
  '-name',
  '-newer',
  '-path',
  '-perm',
  '-regex',
  '-regextype',
  '-samefile',
  '-size',
  '-type',
  '-uid',
  '-used',
  '-user',
  '-wholename',
  '-xtype',
  '-printf',
]);

/** `-newerXY` compares with a file's or a date's time, and takes one argument. */
const NEWER_XY = /^-newer[aBcmt][aBcmt]$/;
/** Leading options before the starting points: `-H`, `-L`, `-P`, `-D list`, `-O3`. */
const LEADING_OPTION = /^-(?:[HLP]+|O[0-9]?)$/;

function judgeFind(program: string, args: readonly CommandArgument[]): string[] {
  const reasons = checkGlobs(program, args, 'paths');
  let index = 0;
  while (index < args.length) {
    const word = (args[index] as CommandArgument).value;
    if (word === '-D') index += 2;
    else if (LEADING_OPTION.test(word)) index += 1;
    else break;
  }
  let expression = false;
  for (; index < args.length; index += 1) {
    const word = (args[index] as CommandArgument).value;
    if (!expression && !word.startsWith('-') && !['(', '!', ','].includes(word)) continue;
    expression = true;
    const effect = FIND_ACTIONS_THAT_WRITE.get(word);
    if (effect !== undefined) {
      reasons.push(`${program} ${word} ${effect}`);
      break;
    }
    if (FIND_WORDS_WITH_VALUE.has(word) || NEWER_XY.test(word)) {
      if (index + 1 >= args.length) reasons.push(`${program} ${word} needs a value`);
      index += 1;
    } else if (!FIND_WORDS.has(word)) {
      reasons.push(`${program} ${quoteForReason(word)} is not on the read-only list`);
      break;
    }
  }
  return reasons;
}

/**
 * find with tests, `-print`, `-print0`, `-printf`, `-ls` and `-prune` only: every word of
 * the expression must be known, so `-exec`, `-delete`, `-fprint`... and anything unknown
 * make it not read-only.
 *
 * @example
 * ```ts
 * findRule.judge('find', args, context); // for `find / -delete`: ['find -delete deletes files']
 * ```
 */
export const findRule: ProgramRule = {
  summary:
    'find with tests, -print/-print0/-printf/-ls/-prune only (no -exec, -delete, -fprint...)',
  judge: judgeFind,
};
